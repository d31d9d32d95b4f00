/**
 * An error the user or the caller can act on: a stable code, the HTTP status it maps to, and a
 * message that says what to do. Anything else that escapes a route is a 500 with no details.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError("bad_request", 400, message, details);
export const unauthorized = (message = "Authentication required.") =>
  new AppError("unauthorized", 401, message);
export const forbidden = (message = "You do not have access to this resource.") =>
  new AppError("forbidden", 403, message);
export const notFound = (message = "Not found.") => new AppError("not_found", 404, message);
export const conflict = (message: string) => new AppError("conflict", 409, message);
