import { TZDate } from "@date-fns/tz";
import { z } from "zod";
import type { MessageFilters } from "@/lib/db/messages";
import { priorityEnum } from "@/lib/db/schemas";

export const PAGE_SIZE = 20;
export const STATUSES = ["open", "handled", "pending", "failed"] as const;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

const cursor = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z~[0-9a-f-]{36}$/i)
  .optional()
  .catch(undefined);

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** The dashboard's query string: anything malformed is dropped rather than failing the page. */
export const filterParamsSchema = z.object({
  priority: z.preprocess(first, priorityEnum.optional().catch(undefined)),
  status: z.preprocess(first, z.enum(STATUSES).optional().catch(undefined)),
  from: z.preprocess(first, day),
  to: z.preprocess(first, day),
  q: z.preprocess(
    first,
    z
      .string()
      .transform((s) => s.trim().slice(0, 200) || undefined)
      .optional()
      .catch(undefined),
  ),
  before: z.preprocess(first, cursor),
});
export type FilterParams = z.infer<typeof filterParamsSchema>;

/** Midnight of a calendar day in the organization's time zone. */
function startOfDay(value: string, timeZone: string, plusDays = 0): Date {
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d + plusDays, timeZone).getTime());
}

/** Filters for listMessages; the date range is inclusive of both days, in the organization's zone. */
export function toMessageFilters(p: FilterParams, timeZone: string): MessageFilters {
  const [receivedAt, id] = p.before?.split("~") ?? [];
  return {
    priority: p.priority ?? null,
    status: p.status ?? null,
    from: p.from ? startOfDay(p.from, timeZone) : null,
    to: p.to ? startOfDay(p.to, timeZone, 1) : null,
    query: p.q ?? null,
    // One more than shown, to know whether there is a next page.
    limit: PAGE_SIZE + 1,
    before: receivedAt && id ? { receivedAt: new Date(receivedAt), id } : null,
  };
}

export function cursorOf(m: { sortKey: Date; id: string }): string {
  return `${m.sortKey.toISOString()}~${m.id}`;
}

/** The current filters as a query string, with another cursor (or none: the first page). */
export function filterHref(p: FilterParams, before?: string): string {
  const qs = new URLSearchParams();
  for (const key of ["priority", "status", "from", "to", "q"] as const) {
    const v = p[key];
    if (v) qs.set(key, v);
  }
  if (before) qs.set("before", before);
  const s = qs.toString();
  return s ? `/dashboard?${s}` : "/dashboard";
}

export const hasFilters = (p: FilterParams) => Boolean(p.priority || p.status || p.from || p.to || p.q);
