import { z } from "zod";
import { claimAutoReply, getAutoReplyContext } from "@/lib/db/auto-replies";
import { getMailbox } from "@/lib/db/mailboxes";
import { defineJob, jobSpec } from "@/lib/jobs/define";
import { withMailbox } from "@/lib/jobs/mailbox-access";
import { replySendJob } from "@/lib/jobs/reply-send";
import { grantsReplies } from "@/lib/mail/reply-scopes";
import { autoReplyBlock } from "@/lib/replies/auto-reply-guard";
import { sealDraftText } from "@/lib/replies/draft-text";
import { fillTemplate } from "@/lib/replies/fill-template";
import { keyRing } from "@/lib/security/keys";
import { loadTokens } from "@/lib/security/token-store";

/**
 * reply.auto ({messageId, ruleId}, key `auto-reply:<message>`) — queued by the router when a rule
 * matched. Reads the email again from the mailbox (its headers: Auto-Submitted, List-*,
 * Precedence, Return-Path), applies the safeguards no rule can lift (lib/replies/auto-reply-guard.ts),
 * fills the approved template, then claims the reply under the per-sender-and-thread interval and
 * the mailbox's daily cap (auto_reply_claim), which queues reply.send (with
 * `Auto-Submitted: auto-replied`) in the same transaction.
 *
 * Outlook mailboxes answer too: their provider sends automatic replies as MIME through sendMail
 * (Graph's JSON cannot set Auto-Submitted). A mailbox that has not granted sending (Outlook
 * without Mail.Send) is skipped before anything is claimed, so it spends none of the daily cap.
 */
export const replyAutoJob = defineJob({
  kind: "reply.auto",
  payload: z.object({ messageId: z.uuid(), ruleId: z.uuid() }),
  key: (p) => `auto-reply:${p.messageId}`,
  maxAttempts: 5,
  leaseSeconds: 60,
  run: async ({ messageId, ruleId }, { db, log, now }) => {
    const ctx = await getAutoReplyContext(db, messageId, ruleId);
    if (!ctx || ctx.message.handledAt) return;
    const skip = (reason: string) => log.info("reply.auto.skipped", { messageId, reason });
    const mailbox = await getMailbox(db, ctx.mailbox.id);
    if (mailbox?.status !== "active") return skip("mailbox_inactive");
    if (mailbox.provider !== "sandbox") {
      const stored = await loadTokens(db, keyRing(), mailbox.id);
      if (!grantsReplies(mailbox.provider, stored?.tokens?.scope ?? null))
        return skip("send_scope_not_granted");
    }
    const original = await withMailbox(db, mailbox, log, ({ provider, access }) =>
      provider.fetchMessage(access, ctx.message.providerMessageId),
    );
    if (!original) return skip("email_gone");
    const blocked = autoReplyBlock({
      fromAddress: ctx.message.fromAddress,
      headers: original.headers,
      priority: ctx.message.priority,
      fraud: ctx.signals?.fraud ?? null,
      // No stored signals (an email analysed before they existed): judged as an unknown sender.
      relationship: ctx.signals?.relationship ?? "first_contact",
      authentication: ctx.signals?.authentication ?? "none",
      impersonation: ctx.signals?.impersonation ?? false,
      ownAddresses: ctx.ownAddresses,
    });
    if (blocked) return skip(blocked);
    const filled = fillTemplate(ctx.template.body, {
      fromName: ctx.message.fromName,
      fromAddress: ctx.message.fromAddress ?? "",
      subject: ctx.message.subject,
      deadline: ctx.message.deadline,
      locale: ctx.template.locale,
      timeZone: ctx.timezone,
    });
    if (!filled.ok) return skip("template_placeholders");
    const draftId = crypto.randomUUID();
    const claimed = await claimAutoReply(db, {
      draft: {
        id: draftId,
        messageId,
        ruleId,
        templateId: ctx.template.id,
        ...(await sealDraftText(filled.text)),
        toAddress: (ctx.message.fromAddress ?? "").trim(),
        toName: ctx.message.fromName,
      },
      job: jobSpec(replySendJob, { draftId }),
      now: now(),
    });
    log.info("reply.auto.claimed", { messageId, outcome: claimed.outcome });
  },
});
