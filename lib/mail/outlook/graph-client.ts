import type { z } from "zod";
import {
  ProviderRequestError,
  ProviderUnavailableError,
  parseRetryAfter,
  RateLimitedError,
  ReconnectRequiredError,
  TokenExpiredError,
} from "@/lib/mail/errors";

export const GRAPH_BASE = "https://graph.microsoft.com/v1.0";

/** Throttled without a Retry-After hint: Graph's own guidance is to back off; 10 s is a cautious floor. */
const DEFAULT_RETRY_AFTER_MS = 10_000;

/** Called once per Graph HTTP request (bench: graph_calls_per_email). Never given tokens or bodies. */
export type GraphMeter = (call: { operation: string; method: string; status: number; ms: number }) => void;

export type GraphCallOptions = {
  meter?: GraphMeter;
  /** Extra `Prefer` preferences (comma-joined with IdType). */
  prefer?: string[];
};

/** Graph's error envelope: `{"error": {"code", "message"}}`. */
export type GraphErrorBody = { code: string; message: string };

export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly graphCode: string,
    readonly graphMessage: string,
  ) {
    super(`Graph HTTP ${status} (${graphCode})`);
    this.name = "GraphHttpError";
  }
}

/** Bearer tokens are only ever sent to Graph itself: a stored or returned link pointing elsewhere is refused. */
export function isGraphUrl(url: string): boolean {
  return url.startsWith(`${GRAPH_BASE}/`);
}

async function errorBody(response: Response): Promise<GraphErrorBody> {
  const json: unknown = await response.json().catch(() => null);
  const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    code: typeof error?.code === "string" ? error.code : `http_${response.status}`,
    message: typeof error?.message === "string" ? error.message : "",
  };
}

type GraphRequest = {
  operation: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  url: string;
  body?: unknown;
  /** A base64 MIME message (sendMail, reply in MIME format): sent as text/plain instead of JSON. */
  mime?: string;
  passthrough?: readonly number[];
};

/**
 * Sends one Graph request and maps failures to the shared error types; an OK response is returned
 * unread. Immutable ids are requested on every call (`IdType="ImmutableId"`) so a message keeps its
 * id when our own auto-action moves it to Archive. Statuses listed in `passthrough` come back as
 * `GraphHttpError` so the caller can decide (404 → null, 410 → expired, 400 on expiry → step down).
 */
async function send(
  token: string,
  request: GraphRequest,
  options: GraphCallOptions,
  accept: string,
): Promise<Response> {
  if (!isGraphUrl(request.url)) throw new ProviderRequestError("outlook", 0, "non_graph_url");
  const headers = new Headers({
    authorization: `Bearer ${token}`,
    accept,
    prefer: ['IdType="ImmutableId"', ...(options.prefer ?? [])].join(", "),
  });
  if (request.mime !== undefined) headers.set("content-type", "text/plain");
  else if (request.body !== undefined) headers.set("content-type", "application/json");
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.mime ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
    });
  } catch (cause) {
    throw new ProviderUnavailableError("outlook", null, { cause });
  }
  options.meter?.({
    operation: request.operation,
    method: request.method,
    status: response.status,
    ms: performance.now() - started,
  });
  if (response.ok) return response;
  const status = response.status;
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
  if (status === 429 || (status === 503 && retryAfter !== null)) {
    throw new RateLimitedError("outlook", retryAfter ?? DEFAULT_RETRY_AFTER_MS);
  }
  if (status >= 500) throw new ProviderUnavailableError("outlook", status);
  const { code, message } = await errorBody(response);
  if (request.passthrough?.includes(status)) throw new GraphHttpError(status, code, message);
  if (status === 401) throw new TokenExpiredError("outlook");
  // 403 on the mailbox: consent withdrawn or Mail scope removed by an admin; only the user can fix it.
  if (status === 403) throw new ReconnectRequiredError("outlook", code);
  throw new ProviderRequestError("outlook", status, code);
}

/** One Graph request whose JSON answer is parsed with `schema` (null: the body is ignored). */
export async function graphRequest<T extends z.ZodType>(
  token: string,
  request: GraphRequest & { schema: T | null },
  options: GraphCallOptions = {},
): Promise<z.infer<T>> {
  const response = await send(token, request, options, "application/json");
  if (request.schema === null || response.status === 204) return undefined as z.infer<T>;
  const parsed = request.schema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new ProviderRequestError("outlook", response.status, "invalid_response");
  return parsed.data;
}

/** One Graph GET whose answer is raw bytes (`/$value`), read into memory only. */
export async function graphBytes(
  token: string,
  request: Omit<GraphRequest, "method" | "body">,
  options: GraphCallOptions = {},
): Promise<Uint8Array> {
  const response = await send(token, { ...request, method: "GET" }, options, "*/*");
  return new Uint8Array(await response.arrayBuffer());
}
