import { markAsRead } from "@/lib/channels/whatsapp/api";
import {
  type RenderedReply,
  renderAlertNotFound,
  renderHelp,
  renderOptInCodeInvalid,
  renderOptInConfirmation,
  renderOptOutConfirmation,
} from "@/lib/channels/whatsapp/render-replies";
import { whatsAppFromEnv } from "@/lib/config/channels";
import { audit } from "@/lib/db/audit";
import { verifyInboundOptInCode } from "@/lib/db/opt-in-codes";
import type { Db } from "@/lib/db/port";
import { setSenderStatus, touchInbound, type WhatsAppSender } from "@/lib/db/recipients";
import type { Recipient } from "@/lib/db/schemas";
import { buildDigest } from "@/lib/jobs/digest-send";
import { done, findTarget, mute, snooze, unmute } from "@/lib/jobs/whatsapp-buttons";
import type { InboundPayload, StoredCommand } from "@/lib/jobs/whatsapp-event-payload";
import { queueReply } from "@/lib/jobs/whatsapp-reply";
import type { Logger } from "@/lib/log";

type Ctx = { db: Db; log: Logger; now: Date };
type Answer = { to: Recipient; reply: RenderedReply };

const senderOf = (event: InboundPayload): WhatsAppSender => ({ phone: event.from, userId: event.fromUserId });

/**
 * Only a code shown for the wa.me link, and only for a recipient with the sender's own number. A
 * sender Meta names by user id alone is checked against the numbers of the recipients that user id
 * is known for (learned from earlier webhooks naming both); one we know nothing of cannot prove a
 * number and is refused — the typed-code flow (a template sent to the number) still works for them.
 */
async function optIn(
  env: Ctx,
  event: InboundPayload,
  codeHash: string,
  senders: Recipient[],
  primary: Recipient,
): Promise<Answer> {
  const phones = event.from ? [event.from] : [...new Set(senders.map((r) => r.address))];
  for (const phone of phones) {
    const result = await verifyInboundOptInCode(env.db, { phone, codeHash });
    if (result.verified) {
      return { to: result.recipient, reply: renderOptInConfirmation(result.recipient.locale) };
    }
  }
  // The same wa.me message sent twice: the code is spent, but the number is in.
  if (primary.status === "opted_in") return { to: primary, reply: renderOptInConfirmation(primary.locale) };
  await audit(env.db, {
    organizationId: primary.organizationId,
    actor: "whatsapp",
    action: "recipient.code_rejected",
    target: primary.id,
  });
  return { to: primary, reply: renderOptInCodeInvalid(primary.locale) };
}

async function start(env: Ctx, event: InboundPayload, primary: Recipient): Promise<Answer> {
  const changed = await setSenderStatus(env.db, senderOf(event), "opted_in", "whatsapp");
  const back = changed[0] ?? (primary.status === "opted_in" ? primary : null);
  // A number that never opted in needs its code: START alone does not subscribe it.
  return back
    ? { to: back, reply: renderOptInConfirmation(back.locale) }
    : { to: primary, reply: renderHelp(primary.locale) };
}

async function button(
  env: Ctx,
  command: StoredCommand & { alertId: string },
  senders: Recipient[],
  primary: Recipient,
) {
  const target = await findTarget(env.db, command.alertId, senders);
  if (!target) return { to: primary, reply: renderAlertNotFound(primary.locale) };
  const act = command.kind === "done" ? done : command.kind === "snooze" ? snooze : mute;
  return { to: target.actor, reply: await act(env, target) };
}

async function answer(
  env: Ctx,
  event: InboundPayload,
  command: StoredCommand,
  senders: Recipient[],
): Promise<Answer> {
  const primary = senders.find((r) => r.status === "opted_in") ?? senders[0]!;
  switch (command.kind) {
    case "opt_in":
      return optIn(env, event, command.codeHash, senders, primary);
    case "stop":
      await setSenderStatus(env.db, senderOf(event), "opted_out", "whatsapp");
      return { to: primary, reply: renderOptOutConfirmation(primary.locale) };
    case "start":
      return start(env, event, primary);
    case "done":
    case "snooze":
    case "mute":
      return button(env, command, senders, primary);
    case "unmute": {
      const reply = await unmute(env, command.ruleId, senders);
      return { to: primary, reply: reply ?? renderAlertNotFound(primary.locale) };
    }
    case "digest": {
      const digest = await buildDigest(env.db, primary, env.now);
      return {
        to: primary,
        reply: digest ? { body: digest.rendered.body, buttons: [] } : renderHelp(primary.locale),
      };
    }
    case "help":
      return { to: primary, reply: renderHelp(primary.locale) };
  }
}

/**
 * Blue ticks on a recipient's message, so they see it was received. Best effort: a failed read
 * receipt must not stop the command from acting (and the outbox has no receipts).
 */
async function markSeen(env: Ctx, wamid: string): Promise<void> {
  const config = whatsAppFromEnv();
  if (!config) return;
  try {
    await markAsRead(config, wamid, { timeoutMs: 5000 });
  } catch (error) {
    env.log.warn("whatsapp.read_receipt_failed", { wamid, error });
  }
}

/**
 * An inbound message: it opens the 24 h window for its number, then the command it carries acts
 * and is answered. A number that is no one's recipient gets no answer — there is no alert row to
 * track it by, and answering strangers is how business numbers get reported.
 */
export async function handleInbound(env: Ctx, event: InboundPayload): Promise<void> {
  const senders = await touchInbound(env.db, senderOf(event), event.at);
  if (senders.length === 0) {
    env.log.info("whatsapp.inbound_unknown_sender", {
      wamid: event.wamid,
      byUserIdOnly: event.from === null,
    });
    return;
  }
  await markSeen(env, event.wamid);
  // A reaction (👍 on an alert) is not addressed to us: answering it with the help would be noise.
  if (event.type === "reaction") return;
  const { command } = event;
  const { to, reply } = await answer(env, event, command, senders);
  await queueReply(env.db, to, event.wamid, reply);
  env.log.info("whatsapp.inbound", { wamid: event.wamid, command: command.kind });
}
