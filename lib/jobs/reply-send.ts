import { z } from "zod";
import type { RenderedReply } from "@/lib/channels/whatsapp/render-replies";
import { renderMailboxProblem, renderSent } from "@/lib/channels/whatsapp/render-reply-flow";
import { noteAutoAction } from "@/lib/db/auto-replies";
import { getMailbox } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import {
  finishDraft,
  getReplySendContext,
  listMessageReplies,
  type ReplySendContext,
} from "@/lib/db/replies";
import { defineJob } from "@/lib/jobs/define";
import { withMailbox } from "@/lib/jobs/mailbox-access";
import { tellRecipients } from "@/lib/jobs/reply-told";
import { queueReply } from "@/lib/jobs/whatsapp-reply";
import type { Logger } from "@/lib/log";
import { MissingScopeError, RateLimitedError, TokenExpiredError } from "@/lib/mail/errors";
import type { MailboxAccess, MailProvider, OutgoingReply } from "@/lib/mail/provider";
import { grantsReplies } from "@/lib/mail/reply-scopes";
import { openDraftText } from "@/lib/replies/draft-text";
import { plainTextToHtml } from "@/lib/replies/plain-text";
import { replyReferences, replySubject } from "@/lib/replies/reply-mime";
import { keyRing } from "@/lib/security/keys";
import { loadTokens } from "@/lib/security/token-store";

type Outcome =
  | { kind: "sent"; providerMessageId: string | null }
  | {
      kind: "failed";
      problem: "failedGone" | "failedScope" | "failedReconnect" | "failedError";
      error: string;
    };

/** The reply as the provider sends it, threaded on the original as the mailbox has it now. */
async function buildReply(
  provider: MailProvider,
  access: MailboxAccess,
  ctx: ReplySendContext,
  text: string,
): Promise<OutgoingReply | null> {
  const original = await provider.fetchMessage(access, ctx.message.providerMessageId);
  if (!original) return null;
  return {
    providerMessageId: ctx.message.providerMessageId,
    threadId: original.threadId ?? ctx.message.threadId,
    to: { name: ctx.draft.toName, address: ctx.draft.toAddress },
    subject: replySubject(original.subject || ctx.message.subject),
    text,
    html: plainTextToHtml(text),
    inReplyTo: original.internetMessageId?.replace(/^<|>$/g, "") ?? null,
    references: replyReferences({
      internetMessageId: original.internetMessageId,
      references: original.headers.references ?? null,
      inReplyTo: original.headers["in-reply-to"] ?? null,
    }),
    autoSubmitted: ctx.draft.origin === "auto",
  };
}

/**
 * Sends once. What happens before the send (reading the original) may be retried; a send that
 * failed in a way that could have reached the provider is recorded failed, never retried: the
 * recipient starts again knowingly rather than the correspondent getting the reply twice. Only a
 * refusal that proves nothing was sent (429, 401) goes back to the queue.
 */
async function send(db: Db, log: Logger, ctx: ReplySendContext, text: string): Promise<Outcome> {
  const mailbox = await getMailbox(db, ctx.message.mailboxId);
  const address = ctx.mailbox.address;
  if (mailbox?.status !== "active")
    return { kind: "failed", problem: "failedReconnect", error: "mailbox not active" };
  if (mailbox.provider !== "sandbox") {
    const stored = await loadTokens(db, keyRing(), mailbox.id);
    if (!grantsReplies(mailbox.provider, stored?.tokens?.scope ?? null))
      return { kind: "failed", problem: "failedScope", error: `${address}: send scope not granted` };
  }
  const outcome = await withMailbox<Outcome>(db, mailbox, log, async ({ provider, access }) => {
    const reply = await buildReply(provider, access, ctx, text);
    if (!reply) return { kind: "failed", problem: "failedGone", error: "the email is gone" };
    try {
      const sent = await provider.sendReply(access, reply);
      return sent
        ? { kind: "sent", providerMessageId: sent.providerMessageId }
        : { kind: "failed", problem: "failedGone", error: "the email is gone" };
    } catch (error) {
      if (error instanceof RateLimitedError || error instanceof TokenExpiredError) throw error;
      if (error instanceof MissingScopeError)
        return { kind: "failed", problem: "failedScope", error: error.message };
      log.warn("reply.send_failed", { draftId: ctx.draft.id, error: (error as Error).name });
      return { kind: "failed", problem: "failedError", error: (error as Error).message.slice(0, 200) };
    }
  });
  return outcome ?? { kind: "failed", problem: "failedReconnect", error: "mailbox must be reconnected" };
}

/**
 * reply.send ({draftId}, key `reply-send:<draft>`) — queued by "Envoyer" in the same transaction
 * that moved the draft to `sending`, so two taps or two deliveries of one tap send one email. Sends
 * from the user's mailbox in the email's thread, records the outcome (the text is dropped, the
 * audit log keeps who, to whom, the template or the text's keyed hash), tells the recipient, and
 * tells the others the alert reached (lib/jobs/reply-told.ts).
 */
export const replySendJob = defineJob({
  kind: "reply.send",
  payload: z.object({ draftId: z.uuid() }),
  key: (p) => `reply-send:${p.draftId}`,
  maxAttempts: 5,
  leaseSeconds: 60,
  run: async ({ draftId }, { db, log, now }) => {
    const ctx = await getReplySendContext(db, draftId);
    if (ctx?.draft.status !== "sending") return;
    const sealed = ctx.draft.bodySealed;
    const outcome: Outcome = sealed
      ? await send(db, log, ctx, await openDraftText(sealed))
      : { kind: "failed", problem: "failedError", error: "no text" };
    const sent = outcome.kind === "sent";
    const finished = await finishDraft(db, {
      draftId,
      status: sent ? "sent" : "failed",
      providerMessageId: sent ? outcome.providerMessageId : null,
      error: sent ? null : outcome.error,
    });
    log.info("reply.done", { draftId, outcome: sent ? "sent" : outcome.problem });
    // The alert's 🤖 line and the email page: an automatic reply went out.
    if (sent && ctx.draft.origin === "auto") await noteAutoAction(db, ctx.message.id, "auto_reply");
    if (sent && finished.changed) {
      const title =
        ctx.draft.origin === "auto"
          ? ((await listMessageReplies(db, ctx.draft.organizationId, ctx.message.id)).find(
              (r) => r.id === draftId,
            )?.templateTitle ?? null)
          : null;
      await tellRecipients(db, ctx, { at: now(), templateTitle: title });
    }
    const recipient = ctx.recipient;
    if (!recipient) return;
    const reply: RenderedReply = sent
      ? renderSent({
          locale: recipient.locale,
          timeZone: recipient.timezone,
          name: recipient.name,
          at: now(),
        })
      : renderMailboxProblem(recipient.locale, outcome.problem, ctx.mailbox.address);
    // Keyed like an answer (`reply:`): it answers the recipient's "Envoyer", inside their window.
    await queueReply(db, recipient, `sent:${draftId}`, reply);
  },
});
