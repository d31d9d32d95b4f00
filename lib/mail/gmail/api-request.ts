import type { z } from "zod";
import {
  ProviderRequestError,
  ProviderUnavailableError,
  parseRetryAfter,
  RateLimitedError,
  ReconnectRequiredError,
  TokenExpiredError,
  WatchConflictError,
} from "@/lib/mail/errors";
import { googleErrorSchema } from "@/lib/mail/gmail/api-schemas";
import { GMAIL_API_BASE } from "@/lib/mail/gmail/google-endpoints";
import { type GmailCosts, type GmailMethod, gmailQuota } from "@/lib/mail/gmail/quota";

const DEFAULT_COSTS = gmailQuota().costs;

export type { GmailMethod } from "@/lib/mail/gmail/quota";

/** One HTTP call to Gmail; `status` is null when no answer came back. */
export type GmailCall = { method: GmailMethod; units: number; status: number | null; durationMs: number };
export type GmailMeter = (call: GmailCall) => void;
/** `costs`: quota units per method (lib/mail/gmail/quota.ts); the default profile's when omitted. */
export type GmailCallOptions = { meter?: GmailMeter; costs?: GmailCosts };

type Query = Record<string, string | number | readonly string[] | undefined>;

function buildUrl(path: string, query: Query | undefined): string {
  const url = new URL(`${GMAIL_API_BASE}${path}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (typeof value === "object") for (const v of value) url.searchParams.append(key, v);
    else url.searchParams.set(key, String(value));
  }
  return url.toString();
}

const RATE_LIMIT_REASONS = new Set([
  "rateLimitExceeded",
  "userRateLimitExceeded",
  "dailyLimitExceeded",
  "quotaExceeded",
]);

/** Gmail puts "Retry after <ISO instant>" in some userRateLimitExceeded messages. */
function retryAfterFromMessage(message: string, now: number): number | null {
  const at = /Retry after (\d{4}-\d\d-\d\dT[\d:.]+Z)/.exec(message)?.[1];
  return at ? Math.max(0, Date.parse(at) - now) : null;
}

/**
 * google.rpc.RetryInfo in `error.details` (Google's error model, AIP-193): `retryDelay` is a
 * protobuf Duration in JSON, decimal seconds with an "s" suffix ("2.5s"). Rounded up.
 */
function retryAfterFromDetails(details: Record<string, unknown>[] | undefined): number | null {
  for (const detail of details ?? []) {
    if (!String(detail["@type"] ?? "").endsWith("google.rpc.RetryInfo")) continue;
    const delay = /^(\d+(?:\.\d+)?)s$/.exec(String(detail.retryDelay ?? ""))?.[1];
    if (delay) return Math.ceil(Number(delay) * 1000);
  }
  return null;
}

function errorFor(method: GmailMethod, response: Response, body: unknown): Error {
  const { status } = response;
  const parsed = googleErrorSchema.safeParse(body);
  const message = parsed.success ? parsed.data.error.message : "";
  const reasons = parsed.success
    ? [
        ...(parsed.data.error.errors ?? []).map((e) => e.reason ?? ""),
        ...(parsed.data.error.details ?? []).map((d) => (typeof d.reason === "string" ? d.reason : "")),
      ]
    : [];
  const reason =
    reasons.find((r) => r !== "") ??
    (parsed.success ? parsed.data.error.status : undefined) ??
    `http_${status}`;
  if (status === 401) return new TokenExpiredError("gmail");
  if (status === 429 || (status === 403 && reasons.some((r) => RATE_LIMIT_REASONS.has(r)))) {
    const now = Date.now();
    const hint =
      parseRetryAfter(response.headers.get("retry-after"), now) ??
      retryAfterFromDetails(parsed.success ? parsed.data.error.details : undefined) ??
      retryAfterFromMessage(message, now);
    return new RateLimitedError("gmail", hint);
  }
  if (status >= 500) return new ProviderUnavailableError("gmail", status);
  if (
    status === 403 &&
    reasons.some((r) => r === "insufficientPermissions" || r === "ACCESS_TOKEN_SCOPE_INSUFFICIENT")
  ) {
    return new ReconnectRequiredError("gmail", "insufficient_scope");
  }
  if (/Mail service not enabled/i.test(message))
    return new ReconnectRequiredError("gmail", "mail_service_not_enabled");
  if (method === "watch" && status === 400 && /only one user push notification client/i.test(message)) {
    return new WatchConflictError("gmail");
  }
  return new ProviderRequestError("gmail", status, reason);
}

/**
 * One Gmail API call: bearer auth, error mapping (see lib/mail/errors.ts), zod-parsed body, and a
 * meter tick per HTTP request whatever its outcome (Gmail counts refused calls against quota too).
 */
export async function gmailRequest<S extends z.ZodType>(
  accessToken: string,
  method: GmailMethod,
  request: { verb: "GET" | "POST"; path: string; query?: Query; body?: unknown },
  schema: S,
  options: GmailCallOptions = {},
): Promise<z.output<S>> {
  const started = performance.now();
  const tick = (status: number | null) =>
    options.meter?.({
      method,
      units: (options.costs ?? DEFAULT_COSTS)[method],
      status,
      durationMs: performance.now() - started,
    });
  let response: Response;
  try {
    response = await fetch(buildUrl(request.path, request.query), {
      method: request.verb,
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: "application/json",
        ...(request.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
  } catch (cause) {
    tick(null);
    throw new ProviderUnavailableError("gmail", null, { cause });
  }
  tick(response.status);
  const text = await response.text();
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) throw errorFor(method, response, body);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ProviderRequestError("gmail", response.status, "invalid_response");
  return parsed.data;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ProviderRequestError && error.status === 404;
}
