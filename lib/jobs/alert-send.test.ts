import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseWebhook } from "@/lib/channels/whatsapp/transform";
import { getSendContext } from "@/lib/db/alert-send";
import { listOutbox } from "@/lib/db/alerts";
import { markHandled } from "@/lib/db/messages";
import type { PGliteDb } from "@/lib/db/pglite";
import { getRecipient, setRecipientStatus } from "@/lib/db/recipients";
import { jobSpec } from "@/lib/jobs/define";
import { enqueueJob, getJob } from "@/lib/jobs/queue";
import { queueAlert } from "@/lib/jobs/queue-alert";
import { whatsAppEventJob } from "@/lib/jobs/whatsapp-event";
import { toEventPayload } from "@/lib/jobs/whatsapp-event-payload";
import { testDb } from "@/lib/testing/db";
import { createMetaFake, statusWebhook } from "@/lib/testing/meta-fake";
import { server } from "@/lib/testing/msw";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  alertFor,
  createAccount,
  drainPipeline,
  makePipelineDue,
  pipelineRegistry,
  testWhatsApp,
} from "@/lib/testing/pipeline-fixtures";

const parseEvents = (payload: unknown) => parseWebhook(payload)?.events ?? [];

let db: PGliteDb;
let account: Account;
const meta = createMetaFake();
const cloud = pipelineRegistry({ whatsapp: testWhatsApp, timeoutMs: 300, waitSeconds: 600 });
const hourAgo = () => new Date(Date.now() - 3_600_000);

beforeEach(async () => {
  db = await testDb();
  account = await createAccount(db);
  meta.sent.length = 0;
  meta.requests.length = 0;
  server.use(...meta.handlers);
});
afterEach(() => db.close());

const owner = (extra: Record<string, unknown> = {}) =>
  addRecipient(db, account.organizationId, { name: "Awa Koné", phone: "+2250707123456", ...extra });

describe("alert.send in outbox mode (no WhatsApp configured)", () => {
  it("stores the rendered message and its buttons instead of calling Meta", async () => {
    const awa = await owner();
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db);
    const alert = await alertFor(db, account, messageId, awa.id);
    expect(alert).toMatchObject({
      status: "sent",
      delivery: "outbox",
      providerMessageId: `outbox:${alert.id}`,
    });
    expect(alert.rendered?.body).toContain("🔴 *Critique* — Nouveau contrat de 15M FCFA");
    expect(alert.rendered?.buttons.map((b) => b.id)).toEqual([
      `done:${alert.id}`,
      `snooze:${alert.id}`,
      `mute:${alert.id}`,
    ]);
    expect((await listOutbox(db, account.organizationId)).map((a) => a.id)).toEqual([alert.id]);
    expect(meta.requests).toHaveLength(0);
  });

  it("a send cut by a crash is written to the outbox at the next drain, not 10 minutes later", async () => {
    const awa = await owner();
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    // The process died after alert_begin_send marked it sending, before the outbox row was written.
    await db.pg.query(
      "update alerts set status = 'sending', send_started_at = now(), attempts = 1 where message_id = $1",
      [messageId],
    );
    await drainPipeline(db);
    const alert = await alertFor(db, account, messageId, awa.id);
    expect(alert).toMatchObject({ status: "sent", delivery: "outbox", attempts: 2 });
    expect((await listOutbox(db, account.organizationId)).map((a) => a.id)).toEqual([alert.id]);
  });
});

describe("alert.send routing", () => {
  it("never sends to a recipient who has not opted in or opted out since", async () => {
    const awa = await owner({ inboundAt: hourAgo() });
    const pending = await addRecipient(db, account.organizationId, {
      name: "Koffi",
      phone: "+2250707000001",
      optIn: false,
    });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    // Routing only queued the opted-in owner; a hand-queued alert to the pending number is refused too.
    const forced = await queueAlert(db, { recipientId: pending.id, kind: "alert", messageId });
    await setRecipientStatus(db, awa.address, "opted_out", "whatsapp");
    await drainPipeline(db, cloud);
    expect(meta.requests).toHaveLength(0);
    expect((await alertFor(db, account, messageId, awa.id)).status).toBe("skipped");
    expect((await getSendContext(db, forced.alert!.id))?.alert.status).toBe("skipped");
  });

  it("skips a reminder for a message already handled", async () => {
    const awa = await owner({ inboundAt: hourAgo() });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "important" });
    await drainPipeline(db, cloud);
    const reminder = await queueAlert(db, { recipientId: awa.id, kind: "reminder", messageId });
    await markHandled(db, account.organizationId, messageId, "user:test");
    await drainPipeline(db, cloud);
    expect(meta.sent).toHaveLength(1);
    expect((await getSendContext(db, reminder.alert!.id))?.alert.status).toBe("skipped");
  });

  it("holds non-critical alerts in quiet hours until they end, in the recipient's zone; critical ones go", async () => {
    const quiet = { quietStartMinute: 22 * 60, quietEndMinute: 7 * 60 };
    const abidjan = await owner({ ...quiet, timezone: "Africa/Abidjan", inboundAt: hourAgo() });
    const newYork = await addRecipient(db, account.organizationId, {
      name: "Mariam",
      phone: "+2250707000002",
      ...quiet,
      timezone: "America/New_York",
      inboundAt: hourAgo(),
    });
    const important = await addAnalyzedMessage(db, account, { priority: "important" });
    const critical = await addAnalyzedMessage(db, account, {
      priority: "critical",
      subject: "Virement urgent",
    });
    // 23:30 in Abidjan, 18:30 in New York (a future date: the deferral must not be due at once).
    const clock = new Date(`${new Date().getUTCFullYear() + 1}-12-01T23:30:00Z`);
    await drainPipeline(db, cloud, { now: () => clock });

    const held = await alertFor(db, account, important.messageId, abidjan.id);
    expect(held.status).toBe("held");
    const end = new Date(`${clock.getUTCFullYear()}-12-02T07:00:00Z`);
    expect(held.holdUntil).toEqual(end);
    const job = await getJob(db, `alert:${held.id}`);
    expect(job).toMatchObject({ status: "pending", attempts: 0 });
    expect(job?.runAt).toEqual(end);

    expect((await alertFor(db, account, critical.messageId, abidjan.id)).status).toBe("sent");
    expect((await alertFor(db, account, important.messageId, newYork.id)).status).toBe("sent");
    expect(meta.sent).toHaveLength(3);

    // At the end of the quiet hours the held alert goes out.
    await makePipelineDue(db);
    await drainPipeline(db, cloud, { now: () => end });
    expect((await alertFor(db, account, important.messageId, abidjan.id)).status).toBe("sent");
    expect(meta.sent).toHaveLength(4);
  });
});

describe("alert.send over the Cloud API", () => {
  it("sends reply buttons inside the 24 h window and the approved template outside it", async () => {
    const inside = await owner({ inboundAt: hourAgo() });
    const outside = await addRecipient(db, account.organizationId, {
      name: "Koffi",
      phone: "+2250707000003",
    });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db, cloud);
    const byPhone = new Map(meta.sent.map((m) => [`+${m.to}`, m]));
    const a = await alertFor(db, account, messageId, inside.id);
    const b = await alertFor(db, account, messageId, outside.id);
    expect(byPhone.get(inside.address)).toMatchObject({ type: "interactive", alertId: a.id });
    expect(a).toMatchObject({
      status: "sent",
      delivery: "interactive",
      providerMessageId: byPhone.get(inside.address)?.wamid,
    });
    const template = byPhone.get(outside.address)?.body.template as {
      name: string;
      components: Array<{ type: string }>;
    };
    expect(template.name).toBe("fluxasync_alert");
    expect(template.components.filter((c) => c.type === "button")).toHaveLength(3);
    expect(b).toMatchObject({ status: "sent", delivery: "template" });
  });

  it("resends as the template at once when Meta answers 131047", async () => {
    const awa = await owner({ inboundAt: hourAgo() });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    meta.failNext(131047);
    await drainPipeline(db, cloud);
    expect(meta.requests.map((r) => (r.body as { type: string }).type)).toEqual(["interactive", "template"]);
    expect(meta.sent).toHaveLength(1);
    expect(await alertFor(db, account, messageId, awa.id)).toMatchObject({
      status: "sent",
      delivery: "template",
    });
  });

  it("a WhatsApp 500 then success sends exactly one message", async () => {
    const awa = await owner({ inboundAt: hourAgo() });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    meta.failNext(500);
    await drainPipeline(db, cloud);
    expect((await alertFor(db, account, messageId, awa.id)).status).toBe("pending");
    await makePipelineDue(db);
    await drainPipeline(db, cloud);
    expect(meta.requests).toHaveLength(2);
    expect(meta.sent).toHaveLength(1);
    expect(await alertFor(db, account, messageId, awa.id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("backs off on a rate limit without marking the alert failed", async () => {
    const awa = await owner({ inboundAt: hourAgo() });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    meta.failNext(131056);
    await drainPipeline(db, cloud);
    const alert = await alertFor(db, account, messageId, awa.id);
    expect(alert).toMatchObject({ status: "pending", errorCode: 131056 });
    const job = await getJob(db, `alert:${alert.id}`);
    expect(job?.status).toBe("pending");
    expect((job!.runAt.getTime() - job!.updatedAt.getTime()) / 1000).toBeCloseTo(6, 0);
  });

  it("flags an undeliverable number and tells the owner", async () => {
    // The owner follows tax mail only, so the contract alert goes to Koffi alone.
    const awa = await owner({ categories: ["tax"] });
    const koffi = await addRecipient(db, account.organizationId, {
      name: "Koffi Yao",
      phone: "+2250707000004",
      role: "manager",
      inboundAt: hourAgo(),
    });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    meta.failNext(131026);
    await drainPipeline(db, cloud);
    expect(await alertFor(db, account, messageId, koffi.id)).toMatchObject({
      status: "failed",
      errorCode: 131026,
    });
    expect((await getRecipient(db, koffi.id))?.status).toBe("undeliverable");
    // The owner is outside the window: the notice goes as the notice template, once.
    expect(meta.sent).toHaveLength(1);
    expect(meta.sent[0]).toMatchObject({ to: awa.address.slice(1), type: "template" });
    const template = meta.sent[0]!.body.template as {
      name: string;
      components: Array<{ parameters: Array<{ text: string }> }>;
    };
    expect(template.name).toBe("fluxasync_notice");
    expect(template.components[0]?.parameters[0]?.text).toContain("Koffi Yao");
  });

  it("stops with a clear configuration error when the template is missing", async () => {
    const awa = await owner();
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    meta.failNext(132001);
    await drainPipeline(db, cloud);
    const alert = await alertFor(db, account, messageId, awa.id);
    expect(alert.status).toBe("failed");
    expect(alert.errorMessage).toContain("fluxasync_alert");
    const job = await getJob(db, `alert:${alert.id}`);
    expect(job?.status).toBe("dead");
    expect(job?.lastError).toContain("npm run whatsapp:templates");
  });
});

describe("alert.send when the outcome is unknown", () => {
  it("waits for the status webhook carrying the alert id instead of sending again", async () => {
    const awa = await owner({ inboundAt: hourAgo() });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    meta.failNext("hang_after_send");
    await drainPipeline(db, cloud);
    const alert = await alertFor(db, account, messageId, awa.id);
    expect(alert.status).toBe("unknown");
    expect(meta.sent).toHaveLength(1);

    const [event] = parseEvents(
      statusWebhook({
        wamid: meta.sent[0]!.wamid,
        status: "sent",
        recipient: awa.address,
        alertId: alert.id,
      }),
    );
    await enqueueJob(db, jobSpec(whatsAppEventJob, toEventPayload(event!)));
    await makePipelineDue(db);
    await drainPipeline(db, cloud);
    await makePipelineDue(db);
    await drainPipeline(db, cloud);
    expect(meta.sent).toHaveLength(1);
    expect(await alertFor(db, account, messageId, awa.id)).toMatchObject({
      status: "sent",
      providerMessageId: meta.sent[0]!.wamid,
    });
  });

  it("sends again once the wait is over when nothing proves the first send arrived", async () => {
    const awa = await owner({ inboundAt: hourAgo() });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    meta.failNext("hang");
    await drainPipeline(db, cloud);
    const alert = await alertFor(db, account, messageId, awa.id);
    // Early runs keep waiting.
    await makePipelineDue(db);
    await drainPipeline(db, cloud);
    expect(meta.requests).toHaveLength(1);
    await db.pg.query("update alerts set send_started_at = now() - interval '11 minutes' where id = $1", [
      alert.id,
    ]);
    await makePipelineDue(db);
    await drainPipeline(db, cloud);
    expect(meta.sent).toHaveLength(1);
    expect(await alertFor(db, account, messageId, awa.id)).toMatchObject({ status: "sent", attempts: 2 });
  });
});
