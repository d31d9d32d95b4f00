import type { z } from "zod";
import { type CrmFailure, type CrmResult, failed, ok } from "@/lib/crm/types";
import { parseRetryAfter } from "@/lib/mail/errors";

/** A fetch that never throws: the network failing is `unavailable`, like a 5xx. */
export async function send(url: string, init: RequestInit): Promise<Response | CrmFailure> {
  try {
    return await fetch(url, init);
  } catch {
    return { kind: "unavailable", status: null };
  }
}

/** Parses a vendor body with its schema; a shape we cannot read is a refusal, not a crash. */
export async function parseBody<S extends z.ZodType>(
  res: Response,
  schema: S,
): Promise<CrmResult<z.infer<S>>> {
  const body: unknown = res.status === 204 ? null : await res.json().catch(() => undefined);
  const parsed = schema.safeParse(body);
  return parsed.success
    ? ok(parsed.data)
    : failed({ kind: "rejected", status: res.status, reason: "invalid_response" });
}

/** The vendor's delay before a retry: Retry-After (seconds or a date), else `fallbackMs`. */
export function retryAfterMs(res: Response, fallbackMs: number | null): number | null {
  return parseRetryAfter(res.headers.get("retry-after")) ?? fallbackMs;
}
