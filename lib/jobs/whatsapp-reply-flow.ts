import { z } from "zod";
import { type RenderedReply, renderAlertNotFound, renderHelp } from "@/lib/channels/whatsapp/render-replies";
import {
  addresseeText,
  type ReplyOption,
  type ReplyOutcome,
  renderConfirmation,
  renderMailboxProblem,
  renderQueued,
  renderReplyOptions,
  renderReplyOutcome,
  renderTemplateUnavailable,
  renderWritePrompt,
} from "@/lib/channels/whatsapp/render-reply-flow";
import type { Db } from "@/lib/db/port";
import {
  type DraftDecision,
  decideDraft,
  fillDraft,
  findTextTarget,
  getReplySendContext,
  getReplyTarget,
  openDraft,
  type ReplyDraft,
  type ReplyTarget,
} from "@/lib/db/replies";
import type { Recipient } from "@/lib/db/schemas";
import { jobSpec } from "@/lib/jobs/define";
import { replySendJob } from "@/lib/jobs/reply-send";
import type { Logger } from "@/lib/log";
import { DRAFT_TTL_MS, openDraftText, sealDraftText } from "@/lib/replies/draft-text";
import { fillTemplate } from "@/lib/replies/fill-template";
import { whatsAppToPlainText } from "@/lib/replies/plain-text";

/*
 * Answering an email from WhatsApp: "↩️ Répondre" → the approved replies → a draft (a template's
 * text, or the recipient's own) shown with its addressee → "Envoyer" queues one reply.send.
 * Each step re-checks, in the database, that the number is a recipient of the email's
 * organization allowed to reply; the draft itself is only ever decided by the recipient who made it.
 */

type Ctx = { db: Db; log: Logger; now: Date };
/** The answer to the inbound message, and the draft it shows (its prompt, for a quoted reply). */
export type FlowAnswer = { to: Recipient; reply: RenderedReply; draftId?: string };

const isUuid = (id: string) => z.uuid().safeParse(id).success;
const ids = (senders: Recipient[]) => senders.map((r) => r.id);

type Checked = { ok: true; target: ReplyTarget } | { ok: false; answer: FlowAnswer };

/** The alert's email, answerable by this recipient: permission, not handled, an address, a live mailbox. */
async function check(db: Db, alertId: string, senders: Recipient[], primary: Recipient): Promise<Checked> {
  const target = isUuid(alertId) ? await getReplyTarget(db, alertId, ids(senders)) : null;
  if (!target) return { ok: false, answer: { to: primary, reply: renderAlertNotFound(primary.locale) } };
  const { recipient: to, message, mailbox } = target;
  const fail = (reply: RenderedReply): Checked => ({ ok: false, answer: { to, reply } });
  if (!target.mayReply) {
    // Muting stays one tap away for those who may not reply (the reply button took its place).
    const refusal = renderReplyOutcome(to.locale, "forbidden");
    return fail({ ...refusal, buttons: [{ id: `mute:${alertId}`, title: "🔕 Ignorer / Mute" }] });
  }
  if (message.handledAt) return fail(renderAlertNotFound(to.locale));
  const from = message.fromAddress?.trim().toLowerCase() ?? "";
  if (!from.includes("@") || from === mailbox.address.toLowerCase())
    return fail(renderReplyOutcome(to.locale, "noAddress"));
  if (mailbox.status !== "active")
    return fail(renderMailboxProblem(to.locale, "mailboxInactive", mailbox.address));
  return { ok: true, target };
}

const fillFor = (target: ReplyTarget, body: string) =>
  fillTemplate(body, {
    fromName: target.message.fromName,
    fromAddress: target.message.fromAddress ?? "",
    subject: target.message.subject,
    deadline: target.message.deadline,
    locale: target.recipient.locale,
    timeZone: target.recipient.timezone,
  });

/** "↩️ Répondre": the approved templates that fit this email, the recipient's language first. */
export async function startReply(env: Ctx, alertId: string, senders: Recipient[], primary: Recipient) {
  const checked = await check(env.db, alertId, senders, primary);
  if (!checked.ok) return checked.answer;
  const { target } = checked;
  const locale = target.recipient.locale;
  const options: ReplyOption[] = [...target.templates]
    .sort((a, b) => Number(b.locale === locale) - Number(a.locale === locale))
    .flatMap((t) => {
      const filled = fillFor(target, t.body);
      return filled.ok ? [{ templateId: t.id, title: t.title, preview: filled.text }] : [];
    });
  const m = target.message;
  return {
    to: target.recipient,
    reply: renderReplyOptions({
      locale,
      alertId,
      to: addresseeText(m.fromName, m.fromAddress ?? ""),
      subject: m.subject ?? "",
      options,
    }),
  };
}

function draftInput(target: ReplyTarget, wamid: string, now: Date) {
  const m = target.message;
  return {
    messageId: m.id,
    recipientId: target.recipient.id,
    inboundWamid: wamid,
    toAddress: (m.fromAddress ?? "").trim(),
    toName: m.fromName,
    expiresAt: new Date(now.getTime() + DRAFT_TTL_MS),
  };
}

/** What a draft that is no longer waiting says when its step is replayed (a redelivered tap). */
function settled(locale: Recipient["locale"], draft: ReplyDraft): RenderedReply | null {
  if (draft.status === "sent") return renderReplyOutcome(locale, "alreadySent");
  if (draft.status === "sending") return renderReplyOutcome(locale, "alreadySending");
  if (draft.status === "cancelled" || draft.status === "failed")
    return renderReplyOutcome(locale, "alreadyCancelled");
  if (draft.status === "expired") return renderReplyOutcome(locale, "expired");
  return null;
}

function confirmation(target: ReplyTarget, draft: ReplyDraft, text: string): FlowAnswer {
  const m = target.message;
  return {
    to: target.recipient,
    draftId: draft.id,
    reply: renderConfirmation({
      locale: target.recipient.locale,
      draftId: draft.id,
      to: addresseeText(draft.toName, draft.toAddress),
      subject: m.subject ?? "",
      mailbox: target.mailbox.address,
      text,
    }),
  };
}

/** A row of approved replies: a draft with the template's text, shown for confirmation. */
export async function pickTemplate(
  env: Ctx,
  p: { wamid: string; alertId: string; templateId: string },
  senders: Recipient[],
  primary: Recipient,
): Promise<FlowAnswer> {
  const checked = await check(env.db, p.alertId, senders, primary);
  if (!checked.ok) return checked.answer;
  const { target } = checked;
  const locale = target.recipient.locale;
  const template = target.templates.find((t) => t.id === p.templateId);
  if (!template) return { to: target.recipient, reply: renderReplyOutcome(locale, "templateGone") };
  const filled = fillFor(target, template.body);
  if (!filled.ok) return { to: target.recipient, reply: renderTemplateUnavailable(locale, filled.missing) };
  const draft = await openDraft(env.db, {
    ...draftInput(target, p.wamid, env.now),
    templateId: template.id,
    ...(await sealDraftText(filled.text)),
    status: "awaiting",
  });
  const done = settled(locale, draft);
  return done ? { to: target.recipient, reply: done } : confirmation(target, draft, filled.text);
}

/** "Écrire une réponse": an empty draft; the recipient's next text (quoting the prompt, or not) fills it. */
export async function writeReply(
  env: Ctx,
  p: { wamid: string; alertId: string },
  senders: Recipient[],
  primary: Recipient,
): Promise<FlowAnswer> {
  const checked = await check(env.db, p.alertId, senders, primary);
  if (!checked.ok) return checked.answer;
  const { target } = checked;
  const draft = await openDraft(env.db, {
    ...draftInput(target, p.wamid, env.now),
    templateId: null,
    bodySealed: null,
    bodySha256: null,
    status: "composing",
  });
  const m = target.message;
  return {
    to: target.recipient,
    draftId: draft.id,
    reply: renderWritePrompt(target.recipient.locale, addresseeText(m.fromName, m.fromAddress ?? "")),
  };
}

/**
 * Typed text: a reply's text when it quotes an alert (WhatsApp's reply context carries the
 * alert's wamid), quotes a draft's prompt or confirmation, or follows "Écrire une réponse";
 * anything else gets the help. WhatsApp markup is dropped: the email carries plain text.
 */
export async function replyText(
  env: Ctx,
  p: { wamid: string; contextWamid: string | null; sealed: string },
  senders: Recipient[],
  primary: Recipient,
): Promise<FlowAnswer> {
  const where = await findTextTarget(env.db, p.contextWamid, ids(senders), env.now);
  const text = where ? whatsAppToPlainText(await openDraftText(p.sealed)) : "";
  if (!where || !text) return { to: primary, reply: renderHelp(primary.locale) };
  const sealed = await sealDraftText(text);
  if (where.kind === "alert") {
    const checked = await check(env.db, where.alertId, senders, primary);
    if (!checked.ok) return checked.answer;
    const draft = await openDraft(env.db, {
      ...draftInput(checked.target, p.wamid, env.now),
      templateId: null,
      ...sealed,
      status: "awaiting",
    });
    const done = settled(checked.target.recipient.locale, draft);
    return done ? { to: checked.target.recipient, reply: done } : confirmation(checked.target, draft, text);
  }
  const context = await getReplySendContext(env.db, where.draftId);
  const to = senders.find((r) => r.id === context?.draft.recipientId) ?? primary;
  const filled = await fillDraft(env.db, {
    draftId: where.draftId,
    ...sealed,
    expiresAt: new Date(env.now.getTime() + DRAFT_TTL_MS),
  });
  if (!filled || !context) return { to, reply: renderReplyOutcome(to.locale, "notFound") };
  return {
    to,
    draftId: filled.id,
    reply: renderConfirmation({
      locale: to.locale,
      draftId: filled.id,
      to: addresseeText(filled.toName, filled.toAddress),
      subject: context.message.subject ?? "",
      mailbox: context.mailbox.address,
      text,
    }),
  };
}

const DECISION_ANSWERS: Record<Exclude<DraftDecision["outcome"], "queued">, ReplyOutcome> = {
  cancelled: "cancelled",
  already_sent: "alreadySent",
  already_sending: "alreadySending",
  already_cancelled: "alreadyCancelled",
  expired: "expired",
  handled: "handled",
  forbidden: "forbidden",
  no_text: "noText",
  not_found: "notFound",
};

/** "Envoyer" / "Annuler": decided once, in the database; "Envoyer" queues the one reply.send. */
export async function decide(
  env: Ctx,
  p: { draftId: string; decision: "send" | "cancel" },
  senders: Recipient[],
  primary: Recipient,
): Promise<FlowAnswer> {
  if (!isUuid(p.draftId)) return { to: primary, reply: renderReplyOutcome(primary.locale, "notFound") };
  const result = await decideDraft(env.db, {
    draftId: p.draftId,
    recipientIds: ids(senders),
    decision: p.decision,
    job: jobSpec(replySendJob, { draftId: p.draftId }),
    now: env.now,
  });
  const to = senders.find((r) => r.id === result.draft?.recipientId) ?? primary;
  if (result.outcome === "queued") {
    return {
      to,
      reply: renderQueued(to.locale, addresseeText(result.draft!.toName, result.draft!.toAddress)),
    };
  }
  return { to, reply: renderReplyOutcome(to.locale, DECISION_ANSWERS[result.outcome]) };
}
