import { z } from "zod";
import type { OutboxCursor } from "@/lib/db/outbox";

/*
 * The outbox's place in the dashboard's query string: which conversation (a recipient, or all) and
 * from where ("Plus anciens"). Anything malformed is dropped, as for the email filters; the email
 * filters in the same query string are kept by every outbox link.
 */
export const OUTBOX_PAGE_SIZE = 10;

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const recipient = z.preprocess(first, z.uuid().optional().catch(undefined));
const before = z.preprocess(
  first,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})~[0-9a-f-]{36}$/i)
    .optional()
    .catch(undefined),
);

export type OutboxView = { recipientId: string | null; before: OutboxCursor | null };

export function outboxViewOf(raw: Record<string, string | string[] | undefined>): OutboxView {
  const cursor = before.parse(raw.outboxBefore);
  const [at, id] = cursor?.split("~") ?? [];
  return {
    recipientId: recipient.parse(raw.outbox) ?? null,
    before: at && id ? { at, id } : null,
  };
}

/** The dashboard with another outbox view, the rest of the query string as it was. */
export function outboxHref(
  raw: Record<string, string | string[] | undefined>,
  view: { recipientId: string | null; before?: OutboxCursor | null },
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(raw)) {
    if (key === "outbox" || key === "outboxBefore" || key === "notice" || key === "error") continue;
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(key, v);
  }
  if (view.recipientId) query.set("outbox", view.recipientId);
  if (view.before) query.set("outboxBefore", `${view.before.at}~${view.before.id}`);
  const q = query.toString();
  return `/dashboard${q ? `?${q}` : ""}#outbox`;
}
