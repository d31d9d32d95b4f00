import { z } from "zod";
import { parseBody, retryAfterMs, send } from "@/lib/crm/http";
import { type CrmFailure, type CrmResult, type CrmTokens, failed, ok } from "@/lib/crm/types";

/** Zoho CRM API version every path is under. */
export const ZOHO_API_VERSION = "v8";

// Zoho's error body: {code, details, message, status: "error"} (Zoho CRM "Status codes" page);
// record writes answer per record in data[] with the same fields.
const errorSchema = z.object({ code: z.string(), message: z.string().optional() }).passthrough();
const recordErrorsSchema = z.object({
  data: z.array(errorSchema.extend({ details: z.record(z.string(), z.unknown()).optional() })),
});

/** Without Retry-After, a throttled Zoho call waits a minute (its limits are per minute and per day). */
const THROTTLED_WAIT_MS = 60_000;

async function failureOf(res: Response): Promise<CrmFailure> {
  const body: unknown = await res.json().catch(() => null);
  const top = errorSchema.safeParse(body);
  const record = recordErrorsSchema.safeParse(body);
  const code = top.success ? top.data.code : record.success ? (record.data.data[0]?.code ?? "") : "";
  if (res.status === 429 || code === "TOO_MANY_REQUESTS")
    return { kind: "rate_limited", retryAfterMs: retryAfterMs(res, THROTTLED_WAIT_MS) };
  // 401 INVALID_TOKEN: the access token expired (an hour) or was replaced; OAUTH_SCOPE_MISMATCH:
  // the grant lacks the scope this call needs, which only reconnecting fixes.
  if (code === "OAUTH_SCOPE_MISMATCH" || code === "NO_PERMISSION") return { kind: "reconnect", reason: code };
  if (res.status === 401) return { kind: "token_expired" };
  // A note or task on a record deleted since the last sync: the parent id is refused as invalid.
  if (record.success && record.data.data[0]?.code === "INVALID_DATA") {
    const field = (record.data.data[0].details as { api_name?: string } | undefined)?.api_name;
    if (field === "Parent_Id" || field === "Who_Id" || field === "What_Id") return { kind: "not_found" };
  }
  if (res.status === 404) return { kind: "not_found" };
  if (res.status >= 500) return { kind: "unavailable", status: res.status };
  return { kind: "rejected", status: res.status, reason: code || `http_${res.status}` };
}

/**
 * One authenticated Zoho CRM call at the grant's own API domain (`Authorization:
 * Zoho-oauthtoken`). A list with nothing in it answers 204 without a body: `empty` stands in.
 */
export async function zohoCall<S extends z.ZodType>(
  tokens: CrmTokens,
  method: "GET" | "POST",
  path: string,
  schema: S,
  opts: { body?: unknown; empty?: z.infer<S> } = {},
): Promise<CrmResult<z.infer<S>>> {
  if (!tokens.apiDomain) return failed({ kind: "reconnect", reason: "no Zoho API domain" });
  const res = await send(`${tokens.apiDomain}/crm/${ZOHO_API_VERSION}${path}`, {
    method,
    headers: {
      authorization: `Zoho-oauthtoken ${tokens.accessToken}`,
      accept: "application/json",
      ...(opts.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  if (!(res instanceof Response)) return failed(res);
  if (res.status === 204 && opts.empty !== undefined) return ok(opts.empty);
  if (!res.ok) return failed(await failureOf(res));
  return parseBody(res, schema);
}
