import { z } from "zod";
import { call, type Db } from "@/lib/db/port";
import { alertSchema } from "@/lib/db/schemas";

/** Where a page of the outbox continues: its last message's time (full precision, as text) and id. */
export type OutboxCursor = { at: string; id: string };

const pagedAlertSchema = alertSchema.extend({ pageAt: z.string() });

/**
 * One page of local mode's outbox, newest first: the organization's or one recipient's
 * conversation. `next` continues it ("Plus anciens"), null on the last page.
 */
export async function outboxPage(
  db: Db,
  organizationId: string,
  p: { recipientId?: string | null; before?: OutboxCursor | null; limit: number },
) {
  const rows = await call(
    db,
    "alert_outbox_page",
    {
      p_organization_id: organizationId,
      p_recipient_id: p.recipientId ?? null,
      p_before_at: p.before?.at ?? null,
      p_before_id: p.before?.id ?? null,
      p_limit: p.limit + 1,
    },
    z.array(pagedAlertSchema),
  );
  const alerts = rows.slice(0, p.limit);
  const last = alerts.at(-1);
  const next: OutboxCursor | null = rows.length > p.limit && last ? { at: last.pageAt, id: last.id } : null;
  return { alerts, next };
}

const outboxConversationSchema = z.object({
  recipientId: z.string(),
  name: z.string(),
  messages: z.number(),
  lastAt: z.coerce.date(),
});
export type OutboxConversation = z.infer<typeof outboxConversationSchema>;

/** Each recipient the outbox wrote to, the most recent conversation first. */
export const outboxConversations = (db: Db, organizationId: string) =>
  call(
    db,
    "alert_outbox_conversations",
    { p_organization_id: organizationId },
    z.array(outboxConversationSchema),
  );
