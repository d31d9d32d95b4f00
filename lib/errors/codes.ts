/**
 * Every error code the app raises, closed: the HTTP status it answers with, and — for errors a
 * user can act on — the key of the message shown in the web app (`web` catalogue, `errors.<key>`).
 * Codes are compared by value (`isAppError(error, "not_found")`), so they mean the same thing in
 * every bundle and every process, and a typo is a type error.
 */
export const ERROR_CODES = {
  bad_request: { status: 400, key: "invalid" },
  unauthorized: { status: 401, key: null },
  forbidden: { status: 403, key: null },
  not_found: { status: 404, key: "notFound" },
  conflict: { status: 409, key: "conflict" },
  invalid: { status: 422, key: "invalid" },
  too_many_attempts: { status: 429, key: "rateLimited" },
  // A request body over its route's cap (lib/http/read-body.ts), refused before parsing.
  payload_too_large: { status: 413, key: null },
  // Raised by Postgres functions as SQLSTATE PTxxx (PostgREST answers HTTP xxx; see mapDbError).
  db_400: { status: 400, key: "invalid" },
  db_403: { status: 403, key: null },
  db_404: { status: 404, key: "notFound" },
  db_409: { status: 409, key: "conflict" },
  db_422: { status: 422, key: "invalid" },
  db_429: { status: 429, key: "rateLimited" },
  db_error: { status: 503, key: null },
  db_contract: { status: 500, key: null },
  invalid_rpc: { status: 500, key: null },
  invalid_rpc_arg: { status: 500, key: null },
  unknown_rpc: { status: 404, key: null },
  not_configured: { status: 503, key: null },
  bad_key_ring: { status: 500, key: null },
  no_tokens: { status: 500, key: null },
  vault: { status: 500, key: null },
  whatsapp_undeliverable: { status: 422, key: "invalid" },
  whatsapp_rate_limited: { status: 429, key: "rateLimited" },
  whatsapp_config: { status: 503, key: null },
  whatsapp_timeout: { status: 504, key: null },
  whatsapp_failed: { status: 502, key: null },
  simulation_failed: { status: 502, key: null },
} as const satisfies Record<string, { status: number; key: string | null }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}
