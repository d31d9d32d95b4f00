import { audit } from "@/lib/db/audit";
import { verifyInboundOptInCode } from "@/lib/db/opt-in-codes";
import type { Db } from "@/lib/db/port";
import { setRecipientStatus, touchInbound } from "@/lib/db/recipients";
import type { Recipient } from "@/lib/db/schemas";
import { buildDigest } from "@/lib/jobs/digest-send";
import { done, findTarget, mute, snooze, unmute } from "@/lib/jobs/whatsapp-buttons";
import type { InboundPayload } from "@/lib/jobs/whatsapp-event-payload";
import { queueReply } from "@/lib/jobs/whatsapp-reply";
import { whatsAppFromEnv } from "@/lib/jobs/whatsapp-transport";
import type { Logger } from "@/lib/log";
import { hashOptInCode } from "@/lib/security/keyed-hash";
import { markAsRead } from "@/lib/whatsapp/client";
import { type Command, interpretInbound } from "@/lib/whatsapp/commands";
import {
  type RenderedReply,
  renderAlertNotFound,
  renderHelp,
  renderOptInCodeInvalid,
  renderOptInConfirmation,
  renderOptOutConfirmation,
} from "@/lib/whatsapp/render-replies";

type Ctx = { db: Db; log: Logger; now: Date };
type Answer = { to: Recipient; reply: RenderedReply };

async function optIn(env: Ctx, event: InboundPayload, code: string, primary: Recipient): Promise<Answer> {
  // Only a code shown for the wa.me link, and only for a recipient with the sender's own number.
  const result = await verifyInboundOptInCode(env.db, { phone: event.from, codeHash: hashOptInCode(code) });
  if (result.verified) {
    return { to: result.recipient, reply: renderOptInConfirmation(result.recipient.locale) };
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
  const changed = await setRecipientStatus(env.db, event.from, "opted_in", "whatsapp");
  const back = changed[0] ?? (primary.status === "opted_in" ? primary : null);
  // A number that never opted in needs its code: START alone does not subscribe it.
  return back
    ? { to: back, reply: renderOptInConfirmation(back.locale) }
    : { to: primary, reply: renderHelp(primary.locale) };
}

async function button(
  env: Ctx,
  command: Command & { alertId: string },
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
  command: Command,
  senders: Recipient[],
): Promise<Answer> {
  const primary = senders.find((r) => r.status === "opted_in") ?? senders[0]!;
  switch (command.kind) {
    case "opt_in":
      return optIn(env, event, command.code, primary);
    case "stop":
      await setRecipientStatus(env.db, event.from, "opted_out", "whatsapp");
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
  const senders = await touchInbound(env.db, event.from, event.at);
  if (senders.length === 0) {
    env.log.info("whatsapp.inbound_unknown_number", { wamid: event.wamid });
    return;
  }
  await markSeen(env, event.wamid);
  // A reaction (👍 on an alert) is not addressed to us: answering it with the help would be noise.
  if (event.type === "reaction") return;
  const command = interpretInbound(event);
  const { to, reply } = await answer(env, event, command, senders);
  await queueReply(env.db, to, event.wamid, reply);
  env.log.info("whatsapp.inbound", { wamid: event.wamid, command: command.kind });
}
