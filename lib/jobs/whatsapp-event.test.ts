import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseWebhook } from "@/lib/channels/whatsapp/transform";
import type { PGliteDb } from "@/lib/db/pglite";
import { getRecipient } from "@/lib/db/recipients";
import { jobSpec } from "@/lib/jobs/define";
import { enqueueJob } from "@/lib/jobs/queue";
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
  pipelineRegistry,
  receiveWebhook,
  testWhatsApp,
} from "@/lib/testing/pipeline-fixtures";

const parseEvents = (payload: unknown) => parseWebhook(payload)?.events ?? [];

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

describe("status webhooks", () => {
  it("never move backwards and record the same status once", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone, inboundAt: new Date() });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db, cloud);
    const wamid = meta.sent[0]!.wamid;
    const at = new Date(Date.now() + 5_000);
    await receive(statusWebhook({ wamid, status: "read", recipient: phone, at }));
    await receive(
      statusWebhook({ wamid, status: "delivered", recipient: phone, at: new Date(Date.now() + 2_000) }),
    );
    await receive(statusWebhook({ wamid, status: "read", recipient: phone, at }));
    // Past the job key (a redelivery in another batch), the database deduplicates it as well.
    const [again] = parseEvents(statusWebhook({ wamid, status: "read", recipient: phone, at }));
    await enqueueJob(db, { ...jobSpec(whatsAppEventJob, toEventPayload(again!)), key: `replayed:${wamid}` });
    await drainPipeline(db);
    const alert = await alertFor(db, account, messageId, r.id);
    expect(alert.status).toBe("read");
    expect(alert.statusHistory.filter((h) => h.status === "read")).toHaveLength(1);
  });

  it("a failed status 131047 resends the alert as the template", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone, inboundAt: new Date() });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db, cloud);
    const first = await alertFor(db, account, messageId, r.id);
    await receive(
      statusWebhook({
        wamid: meta.sent[0]!.wamid,
        status: "failed",
        recipient: phone,
        alertId: first.id,
        errorCode: 131047,
      }),
      cloud,
    );
    expect(meta.sent.map((m) => m.type)).toEqual(["interactive", "template"]);
    expect(await alertFor(db, account, messageId, r.id)).toMatchObject({
      status: "sent",
      delivery: "template",
      providerMessageId: meta.sent[1]!.wamid,
    });
  });

  it("a failed status 131049 (Meta chose not to deliver) resends later, without flagging the number", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone, inboundAt: new Date() });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db, cloud);
    const first = await alertFor(db, account, messageId, r.id);
    const before = Date.now();
    await receive(
      statusWebhook({
        wamid: meta.sent[0]!.wamid,
        status: "failed",
        recipient: phone,
        alertId: first.id,
        errorCode: 131049,
      }),
      cloud,
    );
    expect(meta.sent).toHaveLength(1);
    expect((await getRecipient(db, r.id))?.status).toBe("opted_in");
    const job = await db.pg.query<{ status: string; run_at: Date }>(
      "select status, run_at from jobs where key = $1",
      [`alert:${first.id}`],
    );
    expect(job.rows[0]?.status).toBe("pending");
    expect(job.rows[0]!.run_at.getTime() - before).toBeGreaterThan(50 * 60_000);
  });

  it("a failed status 131026 flags the number and tells the owner", async () => {
    const owner = await addRecipient(db, account.organizationId, { name: "Awa", phone, categories: ["tax"] });
    const koffi = await addRecipient(db, account.organizationId, {
      name: "Koffi Yao",
      phone: "+2250707000004",
      role: "manager",
    });
    await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db);
    const [alert] = (
      await db.pg.query<{ id: string }>("select id from alerts where recipient_id = $1", [koffi.id])
    ).rows;
    await receive(
      statusWebhook({
        wamid: `outbox:${alert!.id}`,
        status: "failed",
        recipient: koffi.address,
        errorCode: 131026,
      }),
    );
    expect((await getRecipient(db, koffi.id))?.status).toBe("undeliverable");
    const notices = await db.pg.query<{ status: string }>(
      "select status from alerts where kind = 'notice' and recipient_id = $1",
      [owner.id],
    );
    expect(notices.rows).toEqual([{ status: "sent" }]);
  });
});
