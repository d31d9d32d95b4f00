import type { z } from "zod";
import { parseBody, retryAfterMs, send } from "@/lib/crm/http";
import { type CrmFailure, type CrmResult, failed, ok } from "@/lib/crm/types";

export const HUBSPOT_API = "https://api.hubapi.com";

export type Quota = { remaining: number; windowMs: number } | null;

/*
 * HubSpot's rate-limit headers, sent on OAuth-authenticated calls too (changelog "Rate limit
 * headers will now appear for OAuth authenticated calls"): what is left in the rolling window.
 */
function quotaOf(res: Response): Quota {
  const remaining = Number(res.headers.get("x-hubspot-ratelimit-remaining"));
  const windowMs = Number(res.headers.get("x-hubspot-ratelimit-interval-milliseconds"));
  return Number.isFinite(remaining) && res.headers.has("x-hubspot-ratelimit-remaining")
    ? { remaining, windowMs: Number.isFinite(windowMs) && windowMs > 0 ? windowMs : 10_000 }
    : null;
}

/** HubSpot's error answers → what the job does about them. */
async function failureOf(res: Response): Promise<CrmFailure> {
  if (res.status === 429) {
    const window = Number(res.headers.get("x-hubspot-ratelimit-interval-milliseconds"));
    return {
      kind: "rate_limited",
      retryAfterMs: retryAfterMs(res, Number.isFinite(window) && window > 0 ? window : 10_000),
    };
  }
  if (res.status === 401) return { kind: "token_expired" };
  const body = (await res.json().catch(() => null)) as { category?: string } | null;
  // 403 MISSING_SCOPES: the grant lacks a scope (the user must reconnect with it).
  if (res.status === 403) return { kind: "reconnect", reason: body?.category ?? "forbidden" };
  if (res.status === 404) return { kind: "not_found" };
  if (res.status >= 500) return { kind: "unavailable", status: res.status };
  return { kind: "rejected", status: res.status, reason: body?.category ?? `http_${res.status}` };
}

/** One authenticated HubSpot call, parsed with `schema`, with the quota it left. */
export async function hubspotCall<S extends z.ZodType>(
  accessToken: string,
  method: "GET" | "POST",
  path: string,
  schema: S,
  body?: unknown,
): Promise<CrmResult<{ data: z.infer<S>; quota: Quota }>> {
  const res = await send(`${HUBSPOT_API}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${accessToken}`,
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!(res instanceof Response)) return failed(res);
  if (!res.ok) return failed(await failureOf(res));
  const parsed = await parseBody(res, schema);
  return parsed.ok ? ok({ data: parsed.value, quota: quotaOf(res) }) : parsed;
}
