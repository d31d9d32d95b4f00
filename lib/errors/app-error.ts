import { ERROR_CODES, type ErrorCode, isErrorCode } from "@/lib/errors/codes";

/**
 * Marks AppErrors by value rather than by class: Next bundles route handlers, server actions and
 * pages separately, so one process can hold two copies of this class (the database opened by one
 * bundle raises errors another catches), and `instanceof` would say no. `Symbol.for` is shared by
 * every copy.
 */
const BRAND = Symbol.for("fluxasync.app-error");

/**
 * An error the user or the caller can act on: a code from the closed list (lib/errors/codes.ts),
 * the HTTP status that code maps to, and a message that says what to do. Anything else that
 * escapes a route is a 500 with no details.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** Is this an AppError (of this code, when given), whichever bundle created it? */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  if (typeof error !== "object" || error === null || !(BRAND in error)) return false;
  const found = (error as { code?: unknown }).code;
  return isErrorCode(found) && (code === undefined || found === code);
}

/** The web catalogue key (`errors.<key>`) of an error a user can act on, or null. */
export function userMessageKey(error: unknown): string | null {
  return isAppError(error) ? ERROR_CODES[error.code].key : null;
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError("bad_request", message, details);
export const unauthorized = (message = "Authentication required.") => new AppError("unauthorized", message);
export const forbidden = (message = "You do not have access to this resource.") =>
  new AppError("forbidden", message);
export const notFound = (message = "Not found.") => new AppError("not_found", message);
export const conflict = (message: string) => new AppError("conflict", message);
