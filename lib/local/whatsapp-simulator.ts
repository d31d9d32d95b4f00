import { createHmac, randomBytes } from "node:crypto";
import { POST } from "@/app/api/webhooks/whatsapp/route";
import { toWaId } from "@/lib/channels/whatsapp/wa-id";
import { whatsAppFromEnv } from "@/lib/config/channels";
import { getSendContext } from "@/lib/db/alert-send";
import type { Db } from "@/lib/db/port";
import { getRecipient } from "@/lib/db/recipients";
import { env } from "@/lib/env";
import { AppError, badRequest, forbidden, notFound } from "@/lib/errors/app-error";
import { type DrainReport, drainJobs } from "@/lib/jobs/drain";
import { actOnLink } from "@/lib/jobs/email-action";
import { jobRegistry } from "@/lib/jobs/registry";
import { log } from "@/lib/log";
import { linkCommandOf } from "@/lib/security/action-link";

/**
 * The local app's "phone": builds the webhook Meta would send for a button press or a typed
 * message, signs it with the app secret and hands it to the real webhook route in-process, then
 * drains the jobs so the page shows the result. Nothing here bypasses what Meta's calls go through.
 */

const SIMULATED_PHONE_NUMBER_ID = "simulated";

function envelope(value: Record<string, unknown>) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: env.WHATSAPP_BUSINESS_ACCOUNT_ID ?? SIMULATED_PHONE_NUMBER_ID,
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: {
                display_phone_number: SIMULATED_PHONE_NUMBER_ID,
                phone_number_id: env.WHATSAPP_PHONE_NUMBER_ID ?? SIMULATED_PHONE_NUMBER_ID,
              },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

function inbound(phone: string, name: string, message: Record<string, unknown>) {
  const from = toWaId(phone);
  return envelope({
    contacts: [{ profile: { name }, wa_id: from }],
    messages: [
      {
        from,
        id: `wamid.SIM${randomBytes(18).toString("base64url")}`,
        timestamp: String(Math.floor(Date.now() / 1000)),
        ...message,
      },
    ],
  });
}

async function deliverWebhook(db: Db, payload: unknown): Promise<DrainReport> {
  // With the Cloud API configured, replies would reach real phones: presses must come from them.
  if (whatsAppFromEnv()) throw forbidden("The phone simulator only works with the local outbox.");
  const raw = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", env.WHATSAPP_APP_SECRET).update(raw).digest("hex")}`;
  const request = new Request(new URL("/api/webhooks/whatsapp", env.APP_URL), {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signature },
    body: raw,
  });
  const response = await POST(request, { params: Promise.resolve({}) });
  if (response.status !== 200) {
    throw new AppError(
      "simulation_failed",
      `The webhook refused the simulated message (${response.status}).`,
    );
  }
  return drainJobs(db, jobRegistry(), { budgetMs: 15_000 });
}

/** A press on one of an alert's buttons, from the phone of the alert's recipient. */
export async function simulateReply(
  db: Db,
  p: { organizationId: string; alertId: string; buttonId: string },
): Promise<DrainReport> {
  const ctx = await getSendContext(db, p.alertId);
  if (!ctx || ctx.send.organizationId !== p.organizationId) throw notFound("Alert not found.");
  // Only the buttons that message carried can be pressed, as on a real phone.
  const button = ctx.alert.rendered?.buttons.find((b) => b.id === p.buttonId);
  if (!button) throw notFound("This message has no such button.");
  // An e-mail recipient's buttons are links: pressing one in the outbox follows it (and confirms).
  if (ctx.recipient.channel === "email") {
    const command = linkCommandOf(button.id);
    if (!command) throw notFound("This message has no such link.");
    await actOnLink({ db, log, now: new Date() }, { alertId: p.alertId, command });
    return drainJobs(db, jobRegistry(), { budgetMs: 15_000 });
  }
  const payload = inbound(ctx.recipient.address, ctx.recipient.name, {
    context: { from: SIMULATED_PHONE_NUMBER_ID, id: ctx.alert.providerMessageId ?? `outbox:${ctx.alert.id}` },
    type: "interactive",
    interactive: { type: "button_reply", button_reply: { id: button.id, title: button.title } },
  });
  return deliverWebhook(db, payload);
}

/** A text typed on the recipient's phone (an opt-in code, AIDE, RÉSUMÉ, STOP…). */
export async function simulateText(
  db: Db,
  p: { organizationId: string; recipientId: string; text: string },
): Promise<DrainReport> {
  const recipient = await getRecipient(db, p.recipientId);
  if (!recipient || recipient.organizationId !== p.organizationId) throw notFound("Recipient not found.");
  if (recipient.channel !== "whatsapp") throw badRequest("An e-mail recipient has no phone to type on.");
  const text = p.text.trim().slice(0, 4096);
  if (!text) throw badRequest("Type a message first.");
  return deliverWebhook(
    db,
    inbound(recipient.address, recipient.name, { type: "text", text: { body: text } }),
  );
}
