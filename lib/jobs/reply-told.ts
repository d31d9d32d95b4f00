import { renderReplyTold } from "@/lib/channels/whatsapp/render-reply-told";
import type { Db } from "@/lib/db/port";
import { listAlertedRecipients, type ReplySendContext } from "@/lib/db/replies";
import { queueNotices } from "@/lib/jobs/queue-notices";

/**
 * Once a reply is sent, every recipient the email's alert reached — except the one who answered,
 * who has their own confirmation — is told who answered whom and when, in their language (a
 * `notice`, so quiet hours, the window and its template apply). Keyed by the reply and the
 * recipient: a retried reply.send tells no one twice. An automatic reply tells everyone the alert
 * reached; an alert not sent yet says it in its own 🤖 line instead.
 */
export async function tellRecipients(
  db: Db,
  ctx: ReplySendContext,
  p: { at: Date; templateTitle: string | null },
): Promise<number> {
  const answeredBy = ctx.draft.origin === "auto" ? null : ctx.recipient;
  const others = (await listAlertedRecipients(db, ctx.message.id)).filter((r) => r.id !== answeredBy?.id);
  return queueNotices(db, others, {
    render: (recipient) =>
      renderReplyTold({
        locale: recipient.locale,
        timeZone: recipient.timezone,
        by: answeredBy ? answeredBy.name : null,
        template: p.templateTitle,
        toName: ctx.draft.toName,
        toAddress: ctx.draft.toAddress,
        subject: ctx.message.subject,
        at: p.at,
      }),
    dedupeKey: (recipient) => `replied:${ctx.draft.id}:${recipient.id}`,
  });
}
