import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateOptInCode } from "@/lib/channels/whatsapp/opt-in-code";
import { parseWebhook } from "@/lib/channels/whatsapp/transform";
import { updateOrganization } from "@/lib/db/accounts";
import { listAudit } from "@/lib/db/audit";
import { getMessage, markHandled } from "@/lib/db/messages";
import { issueOptInCode, verifyTypedOptInCode } from "@/lib/db/opt-in-codes";
import type { PGliteDb } from "@/lib/db/pglite";
import { getRecipient, listSenderRules } from "@/lib/db/recipients";
import type { Alert } from "@/lib/db/schemas";
import { toEventPayload } from "@/lib/jobs/whatsapp-event-payload";
import { hashOptInCode } from "@/lib/security/keyed-hash";
import { testDb } from "@/lib/testing/db";
import {
  buttonReplyWebhook,
  createMetaFake,
  imageWebhook,
  statusWebhook,
  textWebhook,
  webhookEnvelope,
} from "@/lib/testing/meta-fake";
import { server } from "@/lib/testing/msw";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  alertFor,
  createAccount,
  drainPipeline,
  replyTo as findReply,
  makePipelineDue,
  pipelineRegistry,
  receiveWebhook,
  testWhatsApp,
} from "@/lib/testing/pipeline-fixtures";

/** Inbound messages through the whatsapp.event job: opt-in, STOP/START, buttons, text commands. */

let db: PGliteDb;
let account: Account;
const meta = createMetaFake();
const cloud = pipelineRegistry({ whatsapp: testWhatsApp, timeoutMs: 300 });
const phone = "+2250707123456";

beforeEach(async () => {
  db = await testDb();
  account = await createAccount(db);
  meta.sent.length = 0;
  server.use(...meta.handlers);
});
afterEach(() => db.close());

const receive = (payload: unknown, registry = pipelineRegistry()) => receiveWebhook(db, payload, registry);

async function replyTo(wamid: string): Promise<Alert> {
  const reply = await findReply(db, wamid);
  expect(reply).not.toBeNull();
  return reply!;
}

/** The code shown for the wa.me link of a recipient (valid 10 minutes). */
function issueWaMeCode(recipientId: string, code: string) {
  return issueOptInCode(db, {
    organizationId: account.organizationId,
    recipientId,
    kind: "inbound",
    codeHash: hashOptInCode(code),
    expiresAt: new Date(Date.now() + 600_000),
  });
}

async function say(body: string, from = phone) {
  const [event] = await receive(textWebhook({ from, body }));
  return replyTo(event!.wamid);
}

async function press(buttonId: string, from = phone) {
  const [event] = await receive(buttonReplyWebhook({ from, buttonId, title: "x" }));
  return replyTo(event!.wamid);
}

describe("opt-in and opt-out", () => {
  it("opts in with the code sent from WhatsApp (the wa.me sentence) and confirms", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone, optIn: false });
    const code = generateOptInCode();
    await issueWaMeCode(r.id, code);
    const reply = await say(`Activer les alertes FluxAsync : FLUX-${code}`);
    expect((await getRecipient(db, r.id))?.status).toBe("opted_in");
    expect(reply).toMatchObject({ kind: "notice", status: "sent", delivery: "outbox" });
    expect(reply.rendered?.body).toContain("Alertes FluxAsync activées");
    const actions = (await listAudit(db, account.organizationId)).map((a) => `${a.action}:${a.actor}`);
    expect(actions).toContain("recipient.opted_in:whatsapp");
  });

  it("refuses a wrong code and says so", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone, optIn: false });
    await issueWaMeCode(r.id, "111111");
    const reply = await say("FLUX-222222");
    expect((await getRecipient(db, r.id))?.status).toBe("pending");
    expect(reply.rendered?.body).toContain("Ce code est inconnu");
    expect((await listAudit(db, account.organizationId)).map((a) => a.action)).toContain(
      "recipient.code_rejected",
    );
  });

  it("accepts the wa.me code only from the recipient's own number", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone, optIn: false });
    const code = generateOptInCode();
    await issueWaMeCode(r.id, code);
    // Someone who saw the code on the page sends it from their own phone: not a recipient, no answer.
    await receive(textWebhook({ from: "+2250909876543", body: `FLUX-${code}` }));
    // Another recipient of the organization sends it: refused, it is not their code.
    await addRecipient(db, account.organizationId, { name: "Koffi", phone: "+2250505123456", optIn: false });
    await say(`FLUX-${code}`, "+2250505123456");
    expect((await getRecipient(db, r.id))?.status).toBe("pending");
    await say(`FLUX-${code}`);
    expect((await getRecipient(db, r.id))?.status).toBe("opted_in");
  });

  it("does not accept on WhatsApp a code that was sent to be typed in the app", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone, optIn: false });
    const code = generateOptInCode();
    const issued = { organizationId: account.organizationId, recipientId: r.id };
    await issueOptInCode(db, {
      ...issued,
      kind: "template",
      codeHash: hashOptInCode(code),
      expiresAt: new Date(Date.now() + 600_000),
    });
    const reply = await say(`FLUX-${code}`);
    expect(reply.rendered?.body).toContain("Ce code est inconnu");
    expect((await getRecipient(db, r.id))?.status).toBe("pending");
    // Typed in the app it still works, however it was spaced.
    const typed = await verifyTypedOptInCode(db, {
      ...issued,
      codeHash: hashOptInCode(` ${code.slice(0, 3)} ${code.slice(3)} `),
    });
    expect(typed.verified).toBe(true);
  });

  it("STOP opts out with a last message, no alert follows, START opts back in", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone });
    const stop = await receive(textWebhook({ from: phone, body: "ARRÊT" }), cloud);
    expect((await getRecipient(db, r.id))?.status).toBe("opted_out");
    expect((await replyTo(stop[0]!.wamid)).status).toBe("sent");
    expect(meta.sent).toHaveLength(1);
    expect(JSON.stringify(meta.sent[0]?.body)).toContain("Ceci est notre dernier message");

    const { alerts } = await addAnalyzedMessage(db, account, { priority: "critical" });
    expect(alerts).toHaveLength(0);
    await drainPipeline(db, cloud);
    expect(meta.sent).toHaveLength(1);

    const start = await say("start");
    expect((await getRecipient(db, r.id))?.status).toBe("opted_in");
    expect(start.rendered?.body).toContain("Alertes FluxAsync activées");
  });
});

describe("buttons", () => {
  async function sentAlert() {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db);
    return { r, messageId, alert: await alertFor(db, account, messageId, r.id) };
  }

  it("Traité marks the message handled and confirms", async () => {
    const { messageId, alert } = await sentAlert();
    const reply = await press(`done:${alert.id}`);
    const message = await getMessage(db, account.organizationId, messageId);
    expect(message?.handledAt).not.toBeNull();
    expect(message?.alerts.every((a) => a.handledAt !== null)).toBe(true);
    expect(reply.rendered?.body).toMatch(/^✅ Alerte marquée comme traitée/);
    expect((await listAudit(db, account.organizationId)).map((a) => a.action)).toContain("message.handled");
  });

  it("tells a second recipient who already handled the email and when, in their language and the organization's time", async () => {
    // The organization is an hour east of the recipients' own zone: the time is the organization's.
    await updateOrganization(db, account.organizationId, "user:test", { timezone: "Africa/Lagos" });
    const koffi = await addRecipient(db, account.organizationId, {
      name: "Koffi",
      phone: "+2250505123456",
      locale: "en",
      timezone: "Africa/Abidjan",
    });
    const { messageId, alert } = await sentAlert();
    const koffiAlert = await alertFor(db, account, messageId, koffi.id);
    await press(`done:${alert.id}`);
    const handledAt = (await getMessage(db, account.organizationId, messageId))!.handledAt!;
    const lagos = new Intl.DateTimeFormat("en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone: "Africa/Lagos",
    }).format(handledAt);

    const second = await press(`done:${koffiAlert.id}`, "+2250505123456");
    expect(second.rendered?.body).toBe(`☑️ Already handled by Awa at ${lagos}.`);
    // Awa pressing again is told it is done, not that someone else did it; neither press is audited twice.
    expect((await press(`done:${alert.id}`)).rendered?.body).toMatch(/^✅ Alerte marquée comme traitée/);
    const handled = (await listAudit(db, account.organizationId)).filter(
      (a) => a.action === "message.handled",
    );
    expect(handled).toHaveLength(1);
  });

  it("names the user who handled it from the web app", async () => {
    const { messageId, alert } = await sentAlert();
    await markHandled(db, account.organizationId, messageId, `user:${account.userId}`);
    expect((await press(`done:${alert.id}`)).rendered?.body).toMatch(
      /^☑️ Déjà traité par Awa Koné à \d\d:\d\d\.$/,
    );
  });

  it("Rappel 1 h queues a reminder an hour later, which then arrives", async () => {
    const { r, messageId, alert } = await sentAlert();
    const before = Date.now();
    const reply = await press(`snooze:${alert.id}`);
    expect(reply.rendered?.body).toContain("je vous rappelle cette alerte");
    const reminder = await alertFor(db, account, messageId, r.id, "reminder");
    expect(reminder.status).toBe("pending");
    expect(reminder.holdUntil!.getTime() - before).toBeGreaterThanOrEqual(3_590_000);
    await makePipelineDue(db);
    await drainPipeline(db);
    const sent = await alertFor(db, account, messageId, r.id, "reminder");
    expect(sent.status).toBe("sent");
    expect(sent.rendered?.body).toContain("🔔 *Rappel*");
  });

  it("Ignorer mutes the sender with an undo button, and undo removes the rule", async () => {
    const { alert } = await sentAlert();
    const reply = await press(`mute:${alert.id}`);
    const rules = await listSenderRules(db, account.organizationId);
    expect(rules).toMatchObject([
      { pattern: "client.important@banque.ci", kind: "muted", source: "whatsapp" },
    ]);
    expect(reply.rendered?.buttons).toEqual([{ id: `unmute:${rules[0]!.id}`, title: "↩️ Annuler" }]);
    const undo = await press(`unmute:${rules[0]!.id}`);
    expect(await listSenderRules(db, account.organizationId)).toEqual([]);
    expect(undo.rendered?.body).toContain("réactivées");
  });

  it("a button from a number of another organization does nothing", async () => {
    const { messageId, alert } = await sentAlert();
    const other = await createAccount(db);
    await addRecipient(db, other.organizationId, { name: "Intrus", phone: "+2250707999999" });
    const reply = await press(`done:${alert.id}`, "+2250707999999");
    expect((await getMessage(db, account.organizationId, messageId))?.handledAt).toBeNull();
    expect(reply.rendered?.body).toContain("n’existe plus");
  });
});

describe("what the queue keeps of an inbound message", () => {
  it("stores the command, never the typed text or the code, and prunes the payload once processed", async () => {
    await addRecipient(db, account.organizationId, { name: "Awa", phone, optIn: false });
    const event = textWebhook({ from: phone, body: "Mon code FLUX-482913, confidentiel : RIB 0042" });
    const [parsed] = parseWebhook(event)?.events ?? [];
    const stored = JSON.stringify(await toEventPayload(parsed!));
    expect(stored).not.toMatch(/482913|confidentiel|RIB/);
    expect(JSON.parse(stored).command).toEqual({ kind: "opt_in", codeHash: hashOptInCode("482913") });
    await receive(event);
    const { rows } = await db.pg.query<{ payload: unknown }>(
      "select payload from jobs where kind = 'whatsapp.event'",
    );
    expect(rows).toEqual([{ payload: { pruned: true } }]);
  });
});

describe("users Meta names by business-scoped user id (usernames)", () => {
  const userId = "CI.13491208655302741918";
  const asUsernameUser = { from: phone, userId, username: "awa.kone", withholdPhone: true };

  async function sentAlert() {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db);
    return { r, messageId, alert: await alertFor(db, account, messageId, r.id) };
  }

  it("learns the user id from a status naming both, then acts on a button pressed without the number", async () => {
    const { r, messageId, alert } = await sentAlert();
    await receive(
      statusWebhook({
        wamid: `outbox:${alert.id}`,
        status: "delivered",
        recipient: phone,
        recipientUserId: userId,
      }),
    );
    const [event] = await receive(
      buttonReplyWebhook({ ...asUsernameUser, buttonId: `done:${alert.id}`, title: "✅ Traité" }),
    );
    expect(event).toMatchObject({ from: null, fromUserId: userId });
    expect((await getMessage(db, account.organizationId, messageId))?.handledAt).not.toBeNull();
    const reply = await replyTo(event!.wamid);
    expect(reply).toMatchObject({ recipientId: r.id, status: "sent" });
  });

  it("learns the user id from an inbound message that still carries the number, then obeys STOP without it", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone });
    await say("aide");
    await receive(textWebhook({ from: phone, userId, body: "aide" }));
    await receive(textWebhook({ ...asUsernameUser, body: "STOP" }));
    expect((await getRecipient(db, r.id))?.status).toBe("opted_out");
  });

  it("never fails a batch for an unknown user, a status without a number or a malformed item", async () => {
    const { r, messageId, alert } = await sentAlert();
    const unknown = textWebhook({
      from: "+2250909000001",
      userId: "CI.999",
      withholdPhone: true,
      body: "salut",
    });
    const status = statusWebhook({
      wamid: `outbox:${alert.id}`,
      status: "read",
      recipient: phone,
      recipientUserId: userId,
      withholdPhone: true,
    });
    const mine = buttonReplyWebhook({ from: phone, buttonId: `snooze:${alert.id}`, title: "Rappel" });
    const batch = webhookEnvelope({
      contacts: [
        ...unknown.entry[0]!.changes[0]!.value.contacts,
        ...mine.entry[0]!.changes[0]!.value.contacts,
      ],
      messages: [
        { id: "wamid.broken", type: "text" },
        ...unknown.entry[0]!.changes[0]!.value.messages,
        ...mine.entry[0]!.changes[0]!.value.messages,
      ],
      statuses: status.entry[0]!.changes[0]!.value.statuses,
    });
    const events = await receive(batch);
    expect(events.map((e) => e.kind)).toEqual(["status", "inbound", "inbound"]);
    expect((await alertFor(db, account, messageId, r.id)).status).toBe("read");
    expect(await findReply(db, events[1]!.wamid)).toBeNull();
    expect((await replyTo(events[2]!.wamid)).rendered?.body).toContain("je vous rappelle");
  });

  it("refuses a wa.me code from a user id it cannot tie to the code's number", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone, optIn: false });
    const code = generateOptInCode();
    await issueWaMeCode(r.id, code);
    await receive(textWebhook({ ...asUsernameUser, body: `FLUX-${code}` }));
    expect((await getRecipient(db, r.id))?.status).toBe("pending");
    // Once a message has named both (the contact book still shares the number), the code is checked
    // against that number and accepted.
    await receive(textWebhook({ from: phone, userId, body: "aide" }));
    await receive(textWebhook({ ...asUsernameUser, body: `FLUX-${code}` }));
    expect((await getRecipient(db, r.id))?.status).toBe("opted_in");
  });
});

describe("text commands", () => {
  it("answers aide with the help, résumé with today's digest and anything else with the help", async () => {
    await addRecipient(db, account.organizationId, { name: "Awa", phone });
    await addAnalyzedMessage(db, account, { priority: "informational", subject: "Lettre de la CCI" });
    expect((await say("Aide")).rendered?.body).toContain("commandes");
    const digest = await say("Résumé !");
    expect(digest.rendered?.body).toContain("🔵 1 informatif");
    expect(digest.rendered?.body).toContain("Lettre de la CCI");
    expect((await say("bonjour, ça marche ?")).rendered?.body).toContain("commandes");
    const [image] = await receive(imageWebhook({ from: phone }));
    expect((await replyTo(image!.wamid)).rendered?.body).toContain("commandes");
  });

  it("opens the window on a reaction without answering it", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone });
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const [event] = await receive(
      webhookEnvelope({
        messages: [
          {
            from: phone.slice(1),
            id: "wamid.REACTION1",
            timestamp: String(at.getTime() / 1000),
            type: "reaction",
            reaction: { message_id: "wamid.ALERT", emoji: "👍" },
          },
        ],
      }),
    );
    expect(event).toMatchObject({ kind: "inbound", type: "reaction" });
    expect((await getRecipient(db, r.id))?.lastInboundAt).toEqual(at);
    expect(await findReply(db, "wamid.REACTION1")).toBeNull();
  });
});
