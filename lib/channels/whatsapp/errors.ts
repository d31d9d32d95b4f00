import { z } from "zod";

/** The Graph API error body: `{ error: { message, type, code, error_data: { details }, error_subcode, fbtrace_id } }`. */
export const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    error_data: z.union([z.object({ details: z.string().optional() }).loose(), z.string()]).optional(),
    error_user_msg: z.string().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

type ErrorFields = {
  /** Meta's error code, null when the failure happened before Meta answered. */
  code: number | null;
  httpStatus: number | null;
  /** Meta's `error_data.details` (or message): for logs, never shown raw to users. */
  details: string | null;
  fbtraceId: string | null;
};

/** Base of every WhatsApp failure. `retryable` says whether sending the same request again may succeed. */
export class WhatsAppError extends Error {
  readonly code: number | null;
  readonly httpStatus: number | null;
  readonly details: string | null;
  readonly fbtraceId: string | null;
  readonly retryable: boolean = false;

  constructor(message: string, fields: Partial<ErrorFields> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = fields.code ?? null;
    this.httpStatus = fields.httpStatus ?? null;
    this.details = fields.details ?? null;
    this.fbtraceId = fields.fbtraceId ?? null;
  }
}

/** 131047: more than 24 h since the recipient last wrote. Resend as the approved template. */
export class WindowClosedError extends WhatsAppError {}

/** 130429 / 131056 / 80007 / 4 / 131049: throughput, pair or per-user limit. Retry after `retryAfterMs` (plus backoff). */
export class RateLimitError extends WhatsAppError {
  override readonly retryable = true;
  readonly retryAfterMs: number;
  constructor(message: string, fields: Partial<ErrorFields> & { retryAfterMs: number }) {
    super(message, fields);
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** 131026: the number cannot receive WhatsApp messages. Flag the recipient; do not retry. */
export class UndeliverableError extends WhatsAppError {}

/** 132000–132018: the template is missing, paused or called with the wrong parameters. An operator must act. */
export class TemplateConfigError extends WhatsAppError {
  readonly template: string | null;
  constructor(message: string, fields: Partial<ErrorFields> & { template: string | null }) {
    super(message, fields);
    this.template = fields.template;
  }
}

/** 190 / HTTP 401 (and permission errors): the access token is invalid, expired or lacks a permission. */
export class AuthError extends WhatsAppError {}

/** 5xx or a connection that never reached Meta: nothing was sent, retrying is safe. */
export class TransientError extends WhatsAppError {
  override readonly retryable = true;
}

/**
 * The request may have reached Meta (timeout, connection dropped mid-flight). Resending could
 * deliver twice: the caller waits for a status webhook carrying the alert id before resending.
 */
export class OutcomeUnknownError extends WhatsAppError {}

/** Our request broke a documented limit (caught before sending) or Meta rejected it as invalid (e.g. code 100). */
export class InvalidRequestError extends WhatsAppError {}

/** Meta answered 2xx with a body we do not understand. The message probably went out. */
export class UnexpectedResponseError extends WhatsAppError {}

const RATE_LIMIT_WAIT_MS: Record<number, number> = {
  // Cloud API throughput (messages per second per number): a short pause is enough.
  130429: 2_000,
  // Pair rate limit: about one message every 6 seconds to the same user.
  131056: 6_000,
  // WABA / app call limits are counted per hour: wait longer.
  80007: 60_000,
  4: 60_000,
  // "Meta chose not to deliver" to keep ecosystem engagement healthy (per-user message limits):
  // Meta's error-code reference files it under retry-later, and its guidance on per-user limits is
  // not to resend at once — hours, not seconds. Not a dead number: never flag the recipient.
  131049: 3_600_000,
};
const TEMPLATE_CODES = new Set([132000, 132001, 132005, 132007, 132012, 132015, 132016, 132018]);
const AUTH_CODES = new Set([0, 10, 190, 200]);

/** Maps a non-2xx Graph API answer to a typed error. `template` names the template of the request, if any. */
export function errorFromResponse(
  httpStatus: number,
  body: unknown,
  context: { template?: string | null; retryAfterHeader?: string | null } = {},
): WhatsAppError {
  const parsed = graphErrorSchema.safeParse(body);
  const error = parsed.success ? parsed.data.error : null;
  const code = error?.code ?? null;
  const details =
    (typeof error?.error_data === "string" ? error.error_data : error?.error_data?.details) ??
    error?.message ??
    null;
  const fields = { code, httpStatus, details, fbtraceId: error?.fbtrace_id ?? null };
  const label = code === null ? `HTTP ${httpStatus}` : `error ${code}`;

  if (code === 131047) {
    return new WindowClosedError("The 24-hour window is closed: resend as the approved template", fields);
  }
  if (code === 131026) {
    return new UndeliverableError("The recipient's number cannot receive WhatsApp messages", fields);
  }
  if ((code !== null && code in RATE_LIMIT_WAIT_MS) || httpStatus === 429) {
    const fromHeader = Number(context.retryAfterHeader);
    const retryAfterMs =
      Number.isFinite(fromHeader) && fromHeader > 0
        ? fromHeader * 1000
        : (RATE_LIMIT_WAIT_MS[code ?? 130429] ?? 2_000);
    return new RateLimitError(`WhatsApp rate limit hit (${label}): retry in ${retryAfterMs} ms`, {
      ...fields,
      retryAfterMs,
    });
  }
  if (code !== null && TEMPLATE_CODES.has(code)) {
    const name = context.template ? `"${context.template}"` : "the message template";
    return new TemplateConfigError(
      `WhatsApp rejected ${name} (${label}: ${details ?? "template error"}). Check that it exists, is approved in this language and takes these parameters — run \`npm run whatsapp:templates\` and wait for Meta's approval.`,
      { ...fields, template: context.template ?? null },
    );
  }
  if ((code !== null && AUTH_CODES.has(code)) || httpStatus === 401) {
    return new AuthError(
      `WhatsApp refused the access token (${label}) — create a new system-user token with whatsapp_business_messaging and set WHATSAPP_ACCESS_TOKEN`,
      fields,
    );
  }
  if (httpStatus >= 500) {
    return new TransientError(`WhatsApp is unavailable (${label}): retry later`, fields);
  }
  return new InvalidRequestError(
    `WhatsApp rejected the request (${label}: ${details ?? "no details"})`,
    fields,
  );
}

/**
 * The same typed error for a `failed` status webhook (131026 and 131047 often arrive this way,
 * after Meta accepted the request), so the caller handles both paths alike.
 */
export function errorFromStatus(error: {
  code: number;
  message: string | null;
  details: string | null;
}): WhatsAppError {
  return errorFromResponse(400, {
    error: {
      code: error.code,
      message: error.message ?? undefined,
      error_data: { details: error.details ?? undefined },
    },
  });
}
