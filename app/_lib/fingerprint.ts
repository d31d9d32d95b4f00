import { createHash } from "node:crypto";
import { listOutbox } from "@/lib/db/alerts";
import { listMailboxes } from "@/lib/db/mailboxes";
import { listMessages } from "@/lib/db/messages";
import type { Db } from "@/lib/db/port";
import { listRecipients } from "@/lib/db/recipients";

/**
 * A short hash of what the live pages show (recent emails and their alert statuses, the outbox,
 * recipients' opt-in status, mailbox health), so a client polls a few bytes and re-renders the
 * page only when something changed.
 */
export async function organizationFingerprint(db: Db, organizationId: string): Promise<string> {
  const [messages, outbox, recipients, mailboxes] = await Promise.all([
    listMessages(db, organizationId, { limit: 30 }),
    listOutbox(db, organizationId, 20),
    listRecipients(db, organizationId),
    listMailboxes(db, organizationId),
  ]);
  const state = [
    messages.map((m) => [m.id, m.status, m.priority, m.handledAt?.getTime(), m.alerts.map((a) => a.status)]),
    outbox.map((a) => [a.id, a.status, a.handledAt?.getTime()]),
    recipients.map((r) => [r.id, r.status]),
    mailboxes.map((m) => [
      m.id,
      m.status,
      m.lastSyncedAt?.getTime(),
      m.lastError,
      m.watchExpiresAt?.getTime(),
    ]),
  ];
  return createHash("sha256").update(JSON.stringify(state)).digest("base64url").slice(0, 22);
}
