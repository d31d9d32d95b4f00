import type { RenderedMessage } from "@/lib/channels/rendered";
import type { RenderedReply } from "@/lib/channels/whatsapp/render-replies";
import type { Db } from "@/lib/db/port";
import type { Recipient } from "@/lib/db/schemas";
import { queueAlert } from "@/lib/jobs/queue-alert";

/**
 * Queues the answer to one inbound message as a `notice` alert keyed `reply:<inbound wamid>`: the
 * outbox shows it, alert.send tracks it like any message, and a redelivered webhook cannot answer twice.
 */
export function queueReply(db: Db, recipient: Recipient, inboundWamid: string, reply: RenderedReply) {
  const rendered: RenderedMessage = {
    body: reply.body,
    buttons: reply.buttons,
    ...(reply.list ? { list: reply.list } : {}),
    template: null,
  };
  return queueAlert(db, {
    recipientId: recipient.id,
    kind: "notice",
    dedupeKey: `reply:${inboundWamid}`,
    rendered,
  });
}
