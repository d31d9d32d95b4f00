import type { RenderedMessage } from "@/lib/channels/rendered";
import type { RenderedNotice } from "@/lib/channels/whatsapp/render-notices";
import type { Db } from "@/lib/db/port";
import type { Recipient } from "@/lib/db/schemas";
import { queueAlert } from "@/lib/jobs/queue-alert";

/**
 * Tells these recipients one thing, each rendered in their own language and time zone, as a
 * `notice` alert: delivered by alert.send like any alert, so quiet hours, the outbox and — outside
 * the recipient's window — the notice template apply. A dedupe key already used queues nothing
 * again. Returns how many were queued now.
 */
export async function queueNotices(
  db: Db,
  recipients: readonly Recipient[],
  notice: { render(recipient: Recipient): RenderedNotice; dedupeKey(recipient: Recipient): string },
): Promise<number> {
  let queued = 0;
  for (const recipient of recipients) {
    const text = notice.render(recipient);
    const rendered: RenderedMessage = {
      body: text.body,
      buttons: [],
      template: { kind: "notice", params: text.templateParams },
    };
    const result = await queueAlert(db, {
      recipientId: recipient.id,
      kind: "notice",
      dedupeKey: notice.dedupeKey(recipient),
      rendered,
    });
    if (result.created) queued++;
  }
  return queued;
}
