import { ZodError } from "zod";
import { env } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { safeEqual } from "@/lib/http/constant-time";
import { type Logger, logger } from "@/lib/log";
import { UnauthorizedError } from "@/lib/mail/errors";

type Handler<C> = (req: Request, ctx: C & { log: Logger }) => Promise<Response>;
type RouteContext = { params: Promise<Record<string, string | string[]>> };

export function json(body: unknown, init: ResponseInit = {}): Response {
  return Response.json(body, { ...init, headers: { "cache-control": "no-store", ...init.headers } });
}

/** Maps anything thrown to a response: AppError → its status; invalid input → 400; the rest → 500. */
export function errorResponse(error: unknown, log: Logger): Response {
  if (isAppError(error)) {
    if (error.status >= 500) log.error("route.error", { code: error.code, error });
    return json({ error: error.code, message: error.message }, { status: error.status });
  }
  if (error instanceof UnauthorizedError) {
    log.warn("route.unauthorized", { reason: error.message });
    return json({ error: "unauthorized", message: "Invalid or missing credentials." }, { status: 401 });
  }
  if (error instanceof ZodError) {
    const where = error.issues[0]?.path.join(".") || "body";
    return json(
      { error: "bad_request", message: `Invalid ${where}: ${error.issues[0]?.message ?? ""}` },
      { status: 400 },
    );
  }
  if (error instanceof SyntaxError) {
    return json({ error: "bad_request", message: "Body is not valid JSON." }, { status: 400 });
  }
  log.error("route.crash", { error });
  return json({ error: "internal", message: "Something went wrong. Please retry." }, { status: 500 });
}

function wrap<C>(
  name: string,
  handler: Handler<C>,
  extra: (req: Request, log: Logger) => Promise<void> | void,
) {
  return async (req: Request, routeCtx: RouteContext): Promise<Response> => {
    const log = logger({ route: name, requestId: crypto.randomUUID() });
    try {
      await extra(req, log);
      return await handler(req, { ...(routeCtx as C), log });
    } catch (error) {
      return errorResponse(error, log);
    }
  };
}

/** A vendor webhook: the handler verifies signatures itself (before parsing), persists, answers. */
export function withWebhook(name: string, handler: Handler<RouteContext>) {
  return wrap(`webhook:${name}`, handler, () => {});
}

/** A cron route: `Authorization: Bearer $CRON_SECRET` in constant time, never skipped. */
export function withCron(name: string, handler: Handler<RouteContext>) {
  return wrap(`cron:${name}`, handler, (req) => {
    const header = req.headers.get("authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (!safeEqual(token, env.CRON_SECRET))
      throw new AppError("unauthorized", "Missing or invalid cron secret.");
  });
}

/** A plain route with error mapping (health, OAuth redirects). */
export function withRoute(name: string, handler: Handler<RouteContext>) {
  return wrap(name, handler, () => {});
}
