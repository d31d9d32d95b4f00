import { z } from "zod";
import {
  type RenderedReply,
  renderAlertNotFound,
  renderAlreadyHandled,
  renderDoneConfirmation,
  renderMuteConfirmation,
  renderSnoozeConfirmation,
  renderUnmuteConfirmation,
} from "@/lib/channels/whatsapp/render-replies";
import { getSendContext, type SendContext } from "@/lib/db/alert-send";
import { audit } from "@/lib/db/audit";
import { getHandler, getMessage, markHandled } from "@/lib/db/messages";
import type { Db } from "@/lib/db/port";
import { deleteSenderRule, saveSenderRule } from "@/lib/db/recipients";
import type { Recipient } from "@/lib/db/schemas";
import { isAppError } from "@/lib/errors/app-error";
import { queueAlert } from "@/lib/jobs/queue-alert";
import type { Logger } from "@/lib/log";

export const SNOOZE_MS = 60 * 60 * 1000;

type Ctx = { db: Db; log: Logger; now: Date };
/** The alert a button refers to, and which of the sender's recipient rows may act on it. */
type Target = { ctx: SendContext & { message: NonNullable<SendContext["message"]> }; actor: Recipient };

const actorOf = (r: Recipient) => `${r.channel}:${r.id}`;

/**
 * A button acts only for a number that is a recipient of the alert's organization: an id typed or
 * forwarded from another number cannot touch someone else's mail.
 */
export async function findTarget(db: Db, alertId: string, senders: Recipient[]): Promise<Target | null> {
  if (!z.uuid().safeParse(alertId).success) return null;
  const ctx = await getSendContext(db, alertId);
  const actor = ctx && senders.find((r) => r.organizationId === ctx.send.organizationId);
  if (!ctx?.message || !actor) return null;
  return { ctx: { ...ctx, message: ctx.message }, actor };
}

/** Best effort: the mail pipeline marks the email read when the mailbox allows it; a failure only changes the wording. */
async function markReadInMailbox(env: Ctx, messageId: string): Promise<boolean> {
  try {
    const { markReadInMailbox: markRead } = await import("@/lib/jobs/mailbox-actions");
    return (await markRead(env.db, messageId)) === true;
  } catch (error) {
    env.log.warn("whatsapp.mark_read_failed", { messageId, error: (error as Error).name });
    return false;
  }
}

/**
 * « Traité »: handles the email, or — when someone else handled it first (the database keeps the
 * first handler, so two presses at once still tell one of them) — says who did and when.
 */
export async function done(env: Ctx, { ctx, actor }: Target): Promise<RenderedReply> {
  const organizationId = ctx.send.organizationId;
  // Already handled: not handled again (nor audited again) for the second presser.
  if (!ctx.message.handledAt) await markHandled(env.db, organizationId, ctx.message.id, actorOf(actor));
  const handler = await getHandler(env.db, organizationId, ctx.message.id);
  if (handler && handler.actor !== actorOf(actor)) {
    return renderAlreadyHandled({
      locale: actor.locale,
      timeZone: handler.timezone,
      name: handler.name,
      handledAt: handler.handledAt,
      now: env.now,
    });
  }
  const markedRead = await markReadInMailbox(env, ctx.message.id);
  return renderDoneConfirmation({ locale: actor.locale, markedRead });
}

/** "Rappel 1 h": a reminder alert for the same message an hour from now (one per message and recipient). */
export async function snooze(env: Ctx, { ctx, actor }: Target): Promise<RenderedReply> {
  if (ctx.message.handledAt) return renderAlertNotFound(actor.locale);
  const remindAt = new Date(env.now.getTime() + SNOOZE_MS);
  const queued = await queueAlert(env.db, {
    recipientId: actor.id,
    kind: "reminder",
    messageId: ctx.message.id,
    runAt: remindAt,
  });
  let at: Date | null = queued.created ? remindAt : null;
  if (!queued.created) {
    // Already snoozed: confirm the reminder that is still to come, if any.
    const detail = await getMessage(env.db, ctx.send.organizationId, ctx.message.id);
    const pending = detail?.alerts.find(
      (a) => a.kind === "reminder" && a.recipientId === actor.id && a.status === "pending",
    );
    at = pending?.holdUntil ?? null;
  }
  if (!at) return renderAlertNotFound(actor.locale);
  if (queued.created) {
    await audit(env.db, {
      organizationId: ctx.send.organizationId,
      actor: actorOf(actor),
      action: "alert.snoozed",
      target: ctx.alert.id,
      details: { remindAt: remindAt.toISOString() },
    });
  }
  return renderSnoozeConfirmation({
    locale: actor.locale,
    timeZone: actor.timezone,
    remindAt: at,
    now: env.now,
  });
}

/** "Ignorer l'adresse": a muted-sender rule, confirmed with an undo button. */
export async function mute(env: Ctx, { ctx, actor }: Target): Promise<RenderedReply> {
  const sender = ctx.message.fromAddress;
  if (!sender) return renderAlertNotFound(actor.locale);
  const rule = await saveSenderRule(env.db, {
    organizationId: ctx.send.organizationId,
    pattern: sender,
    kind: "muted",
    source: "whatsapp",
    actor: actorOf(actor),
  });
  return renderMuteConfirmation({ locale: actor.locale, sender, ruleId: rule.id });
}

/** The undo button of a mute: deletes the rule if it belongs to one of the sender's organizations. */
export async function unmute(env: Ctx, ruleId: string, senders: Recipient[]): Promise<RenderedReply | null> {
  if (!z.uuid().safeParse(ruleId).success) return null;
  for (const r of senders) {
    try {
      const { pattern } = await deleteSenderRule(env.db, r.organizationId, ruleId, actorOf(r));
      return renderUnmuteConfirmation({ locale: r.locale, sender: pattern });
    } catch (error) {
      if (!(isAppError(error) && error.status === 404)) throw error;
    }
  }
  return null;
}
