import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/webhooks/whatsapp/route";
import { setDbForTests } from "@/lib/db/client";
import { getMessage } from "@/lib/db/messages";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Db } from "@/lib/db/port";
import { mapDbError } from "@/lib/db/port";
import { webhookRejectionCounts } from "@/lib/db/webhook-rejections";
import { env } from "@/lib/env";
import { getJob, jobCounts } from "@/lib/jobs/queue";
import { testDb } from "@/lib/testing/db";
import {
  buttonReplyWebhook,
  signedWebhookRequest,
  statusWebhook,
  textWebhook,
  verificationRequest,
} from "@/lib/testing/meta-fake";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  alertFor,
  createAccount,
  drainPipeline,
} from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
const noParams = { params: Promise.resolve({}) };
const post = (req: Request) => POST(req, noParams);
const signed = (payload: unknown, signature?: string | null) =>
  signedWebhookRequest(payload, { appSecret: env.WHATSAPP_APP_SECRET, signature });
const stored = async () => {
  const c = await jobCounts(db);
  return c.pending + c.running + c.done + c.dead;
};

beforeEach(async () => {
  db = await testDb();
  setDbForTests(db);
});
afterEach(async () => {
  setDbForTests(undefined);
  await db.close();
});

describe("GET /api/webhooks/whatsapp", () => {
  it("echoes the challenge as text for our verify token", async () => {
    const res = await GET(
      verificationRequest({ verifyToken: env.WHATSAPP_VERIFY_TOKEN, challenge: "1158201444" }),
      noParams,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(await res.text()).toBe("1158201444");
  });

  it("answers 403 to a wrong token", async () => {
    const res = await GET(verificationRequest({ verifyToken: "not-ours" }), noParams);
    expect(res.status).toBe(403);
  });
});

describe("POST /api/webhooks/whatsapp", () => {
  const payload = textWebhook({ from: "+2250707123456", body: "aide", wamid: "wamid.ROUTE1" });

  it("refuses a missing or wrong signature with 401 and stores nothing", async () => {
    expect((await post(signed(payload, null))).status).toBe(401);
    expect((await post(signed(payload, `sha256=${"0".repeat(64)}`))).status).toBe(401);
    expect((await post(signedWebhookRequest(payload, { appSecret: "another-secret" }))).status).toBe(401);
    expect(await stored()).toBe(0);
  });

  it("acknowledges a signed body that is not JSON or not a WhatsApp webhook (200, counted), storing no job", async () => {
    expect((await post(signed("{not json"))).status).toBe(200);
    const res = await post(signed({ object: "whatsapp_business_account", entry: "nope" }));
    expect(res.status).toBe(200);
    expect(await stored()).toBe(0);
    expect((await webhookRejectionCounts(db, new Date(Date.now() - 86_400_000))).whatsapp).toBe(2);
  });

  it("stores a signed webhook carrying NUL and lone surrogates, cleaned, instead of failing on every redelivery", async () => {
    const raw = JSON.stringify(textWebhook({ from: "+2250707123456", body: "aide", wamid: "wamid.NUL" }))
      .replace('"aide"', '"ai\\u0000de\\ud800"')
      .replace('"Awa Koné"', '"Awa\\u0000"');
    const res = await post(signed(raw));
    expect(res.status).toBe(200);
    const job = await getJob(db, "wa-in:wamid.NUL");
    expect(job?.payload).toMatchObject({ kind: "inbound", command: { kind: "help" } });
  });

  it("refuses a body over 3 MB with 413 before checking its signature", async () => {
    const res = await post(signed(JSON.stringify({ object: "x", pad: "x".repeat(3 * 1024 * 1024) })));
    expect(res.status).toBe(413);
    expect(await stored()).toBe(0);
  });

  it("persists each event as a job under its idempotency key before answering 200", async () => {
    const at = new Date("2026-11-23T10:00:00Z");
    const status = statusWebhook({
      wamid: "wamid.OUT1",
      status: "delivered",
      recipient: "+2250707123456",
      at,
    });
    expect((await post(signed(payload))).status).toBe(200);
    expect((await post(signed(status))).status).toBe(200);
    // Meta delivers again: the same keys, no new work.
    expect((await post(signed(payload))).status).toBe(200);
    expect((await post(signed(status))).status).toBe(200);
    expect(await stored()).toBe(2);
    expect((await getJob(db, "wa-in:wamid.ROUTE1"))?.kind).toBe("whatsapp.event");
    expect((await getJob(db, `wa:wamid.OUT1:delivered:${at.getTime() / 1000}`))?.payload).toMatchObject({
      kind: "status",
      status: "delivered",
      at: at.toISOString(),
    });
  });

  it("answers 5xx when the events cannot be persisted, so Meta retries", async () => {
    const broken: Db = {
      transport: "pglite",
      rpc: async (name) => {
        throw mapDbError({ code: "08006", message: "connection lost" }, name);
      },
      close: async () => {},
    };
    setDbForTests(broken);
    const res = await post(signed(payload));
    expect(res.status).toBeGreaterThanOrEqual(500);
  });

  it("acts on a button press that went through the route", async () => {
    const account: Account = await createAccount(db);
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone: "+2250707123456" });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db);
    const alert = await alertFor(db, account, messageId, r.id);
    const res = await post(
      signed(buttonReplyWebhook({ from: r.address, buttonId: `done:${alert.id}`, title: "✅ Traité" })),
    );
    expect(res.status).toBe(200);
    await drainPipeline(db);
    expect((await getMessage(db, account.organizationId, messageId))?.handledAt).not.toBeNull();
  });
});
