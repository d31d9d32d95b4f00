import { afterEach, describe, expect, it } from "vitest";
import { setDbForTests } from "@/lib/db/client";
import { getMailbox } from "@/lib/db/mailboxes";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Mailbox } from "@/lib/db/schemas";
import { webhookRejectionCounts } from "@/lib/db/webhook-rejections";
import { sha256Hex } from "@/lib/http/constant-time";
import type { FakeUser } from "@/lib/testing/microsoft-fake";
import {
  connectOutlook,
  drain,
  instrumentedDb,
  jobsOf,
  liveSubscription,
  minutesAgo,
  newUser,
  postToWebhook,
  recordedIds,
  setUpOutlookSuite,
  WEBHOOK_URL,
  webhookHandler,
} from "@/tests/outlook-harness";

let db: PGliteDb;
const ms = setUpOutlookSuite({
  ready: (database) => {
    db = database;
  },
});
afterEach(() => {
  setDbForTests(db);
  ms.settings.quirks = { duplicateEntries: false, ignoreChangeTypeFilter: false };
});

/** A connected mailbox whose first sync ran, with nothing left in the queue. */
async function connected(): Promise<{ user: FakeUser; mailbox: Mailbox; subId: string }> {
  const user = newUser(ms);
  const mailbox = await connectOutlook(db, ms, user);
  await drain(db);
  await db.pg.query("delete from jobs");
  return { user, mailbox, subId: liveSubscription(ms, user).id };
}

const allJobs = async () =>
  (await db.pg.query<{ kind: string; key: string }>("select kind, key from jobs order by id")).rows;

describe("POST /api/webhooks/outlook — validation handshake", () => {
  it("echoes the decoded validationToken as text/plain, before any database work", async () => {
    const { db: counting, calls } = instrumentedDb(db);
    setDbForTests(counting);
    const token =
      "Validation: Testing client application reachability for subscription Request-Id: 1e6a3f0c-27d4-4b7e-a1c5-0f3c6d2b9a10";
    const res = await webhookHandler(ms.validationRequest(WEBHOOK_URL, token));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe(token);
    expect(calls).toEqual([]);
  });

  it("a percent-encoded token with reserved characters comes back decoded", async () => {
    const res = await webhookHandler(
      new Request(`${WEBHOOK_URL}?validationToken=a%2Bb%3Dc%26d%20e%3A%2F`, { method: "POST" }),
    );
    expect(await res.text()).toBe("a+b=c&d e:/");
  });
});

describe("POST /api/webhooks/outlook — notifications", () => {
  it.each([
    ["not JSON", "{value:"],
    ["an empty object", {}],
  ])(
    "acknowledges %s with 202 (Graph would redeliver for hours), counts it, stores no job",
    async (_name, body) => {
      await db.pg.query("delete from jobs");
      const dayAgo = new Date(Date.now() - 86_400_000);
      const before = (await webhookRejectionCounts(db, dayAgo)).outlook;
      const res = await postToWebhook(body);
      expect(res.status).toBe(202);
      expect(await allJobs()).toEqual([]);
      expect((await webhookRejectionCounts(db, dayAgo)).outlook).toBe(before + 1);
    },
  );

  it.each([
    ["an empty batch", { value: [] }],
    [
      "an item without resourceData or lifecycleEvent",
      { value: [{ subscriptionId: "s", clientState: "c", changeType: "created", resource: "r" }] },
    ],
    ["an item without subscriptionId", { value: [{ lifecycleEvent: "missed", clientState: "c" }] }],
  ])("answers 202 to %s and stores nothing", async (_name, body) => {
    await db.pg.query("delete from jobs");
    expect((await postToWebhook(body)).status).toBe(202);
    expect(await allJobs()).toEqual([]);
  });

  it("processes a batch whose one item is malformed: the rest still syncs", async () => {
    const { user, mailbox, subId } = await connected();
    const msg = ms.addMessage(user, { subject: "Facture" });
    const body = {
      value: [
        { subscriptionId: subId, changeType: "created" },
        ...ms.notificationBody(subId, [msg.id]).value,
      ],
    };
    expect((await postToWebhook(body)).status).toBe(202);
    expect(await jobsOf(db, mailbox.id)).toHaveLength(1);
  });

  it("looks up 5,000 forged subscription ids with one query (1,000 read) and queues nothing", async () => {
    await db.pg.query("delete from jobs");
    const forged = Array.from({ length: 5_000 }, (_, i) => ({
      subscriptionId: `9f0a5a2e-6d4b-4f43-9c1e-${String(i).padStart(12, "0")}`,
      clientState: "guess",
      lifecycleEvent: "missed",
    }));
    const { db: counted, calls } = instrumentedDb(db);
    setDbForTests(counted);
    const res = await postToWebhook({ value: forged });
    expect(res.status).toBe(202);
    expect(calls).toEqual(["mailbox_find_by_subscriptions"]);
    expect(await allJobs()).toEqual([]);
  });

  it("refuses a body over 1 MB with 413 before reading it", async () => {
    const huge = JSON.stringify({ value: [], pad: "x".repeat(1024 * 1024) });
    const { db: counted, calls } = instrumentedDb(db);
    setDbForTests(counted);
    const res = await postToWebhook(huge);
    expect(res.status).toBe(413);
    expect(calls).toEqual([]);
  });

  it("ignores a forged or missing clientState and an unknown subscription: 202, no job, nothing fetched", async () => {
    const { user, mailbox, subId } = await connected();
    const msg = ms.addMessage(user, { subject: "Virement urgent" });
    const real = ms.subscription(subId)?.clientState ?? "";
    const graphBefore = ms.graphCalls();
    const forgedSameLength = `${real.slice(0, -1)}${real.endsWith("A") ? "B" : "A"}`;
    for (const body of [
      ms.notificationBody(subId, [msg.id], { clientState: forgedSameLength }),
      ms.notificationBody(subId, [msg.id], { clientState: "guess" }),
      ms.notificationBody(subId, [msg.id], { clientState: null }),
      ms.notificationBody(subId, [msg.id], { clientState: sha256Hex(real) }), // the stored hash is not the secret
      ms.lifecycleBody(subId, "subscriptionRemoved", { clientState: "guess" }),
      {
        value: [
          {
            ...ms.notificationBody(subId, [msg.id]).value[0],
            subscriptionId: "9f0a5a2e-6d4b-4f43-9c1e-000000000000",
          },
        ],
      },
    ]) {
      const res = await postToWebhook(body);
      expect(res.status).toBe(202);
    }
    expect(await jobsOf(db, mailbox.id)).toEqual([]);
    expect(await allJobs()).toEqual([]);
    expect(ms.graphCalls()).toBe(graphBefore);
    expect(await recordedIds(db, mailbox.id)).not.toContain(msg.id);
  });

  it("a batch for several subscriptions makes one sync job per mailbox, answered within 3 s", async () => {
    const a = await connected();
    const b = await connected();
    const aMsgs = [1, 2, 3].map((i) => ms.addMessage(a.user, { subject: `A${i}` }));
    const bMsgs = [1, 2].map((i) => ms.addMessage(b.user, { subject: `B${i}` }));
    const body = {
      value: [
        ...ms.notificationBody(a.subId, [aMsgs[0]?.id ?? ""]).value,
        ...ms.notificationBody(
          b.subId,
          bMsgs.map((m) => m.id),
        ).value,
        ...ms.notificationBody(a.subId, [aMsgs[1]?.id ?? "", aMsgs[2]?.id ?? ""]).value,
        ...ms.notificationBody(b.subId, [bMsgs[0]?.id ?? ""], { clientState: "forged" }).value,
      ],
    };
    const started = performance.now();
    const res = await postToWebhook(body);
    const elapsed = performance.now() - started;
    expect(res.status).toBe(202);
    expect(elapsed).toBeLessThan(3000);
    expect(await allJobs()).toEqual([
      { kind: "mailbox.sync", key: `sync:${a.mailbox.id}` },
      { kind: "mailbox.sync", key: `sync:${b.mailbox.id}` },
    ]);

    await drain(db);
    expect(await recordedIds(db, a.mailbox.id)).toEqual(aMsgs.map((m) => m.id).sort());
    expect(await recordedIds(db, b.mailbox.id)).toEqual(bMsgs.map((m) => m.id).sort());
  });

  it("answers 5xx when the jobs cannot be stored, so Graph retries; the retry is accepted", async () => {
    const { user, mailbox, subId } = await connected();
    const msg = ms.addMessage(user, { subject: "Contrat" });
    const body = ms.notificationBody(subId, [msg.id]);
    setDbForTests(instrumentedDb(db, new Set(["job_enqueue"])).db);
    const failed = await postToWebhook(body);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await jobsOf(db, mailbox.id)).toEqual([]);

    setDbForTests(db);
    expect((await postToWebhook(body)).status).toBe(202);
    await drain(db);
    expect(await recordedIds(db, mailbox.id)).toContain(msg.id);
  });

  it("duplicate notifications and Graph's created+updated pairs end as one message, analysed once", async () => {
    const { user, mailbox, subId } = await connected();
    ms.settings.quirks = { duplicateEntries: true, ignoreChangeTypeFilter: true };
    const msg = ms.addMessage(user, { subject: "Réunion demain", receivedDateTime: minutesAgo(2) });
    ms.updateMessage(user, msg.id, { isRead: false, flag: { flagStatus: "flagged" } });
    const once = ms.notificationBody(subId, [msg.id]).value;
    const body = { value: [...once, ...once, ...ms.notificationBody(subId, [msg.id, msg.id]).value] };
    expect((await postToWebhook(body)).status).toBe(202);
    expect((await postToWebhook(body)).status).toBe(202); // Graph redelivers
    expect(await jobsOf(db, mailbox.id)).toHaveLength(1);
    await drain(db);

    // Our own label patch is an `updated` change the quirky delta hands back: still one message.
    expect(ms.message(user, msg.id)?.categories).toEqual([expect.stringMatching(/^FluxAsync\//)]);
    expect((await postToWebhook(ms.notificationBody(subId, [msg.id]))).status).toBe(202);
    await drain(db);
    expect(await recordedIds(db, mailbox.id)).toEqual([msg.id]);
    const { rows } = await db.pg.query<{ n: number }>(
      "select count(*)::int as n from jobs where kind = 'message.analyze' and payload->>'messageId' in (select id::text from messages where mailbox_id = $1)",
      [mailbox.id],
    );
    expect(rows[0]?.n).toBe(1);
  });
});

describe("POST /api/webhooks/outlook — lifecycle events", () => {
  it("reauthorizationRequired: answered at once, then the subscription is renewed (same id, new expiry)", async () => {
    const { user, mailbox, subId } = await connected();
    const sub = ms.subscription(subId);
    if (!sub) throw new Error("unreachable");
    sub.expirationDateTime = new Date(Date.now() + 50 * 60_000).toISOString();
    const renewsBefore = ms.calls["subscriptions.renew"] ?? 0;

    expect((await postToWebhook(ms.lifecycleBody(subId, "reauthorizationRequired"))).status).toBe(202);
    // No Graph call before the answer: the renewal is a job.
    expect(ms.calls["subscriptions.renew"] ?? 0).toBe(renewsBefore);
    expect(await jobsOf(db, mailbox.id)).toMatchObject([
      { kind: "mailbox.renew", key: `renew:${mailbox.id}`, status: "pending" },
    ]);

    await drain(db);
    expect(ms.calls["subscriptions.renew"]).toBe(renewsBefore + 1);
    expect(liveSubscription(ms, user).id).toBe(subId);
    expect(Date.parse(sub.expirationDateTime)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    const after = await getMailbox(db, mailbox.id);
    expect(after?.subscriptionId).toBe(subId);
    expect(after?.watchExpiresAt?.getTime()).toBe(Date.parse(sub.expirationDateTime));
    expect((await jobsOf(db, mailbox.id)).map((j) => j.kind)).toEqual(["mailbox.renew"]); // no resync needed
  });

  it("a renewal done earlier does not swallow a later reauthorizationRequired", async () => {
    const { mailbox, subId } = await connected();
    const renewsBefore = ms.calls["subscriptions.renew"] ?? 0;
    for (let i = 0; i < 2; i++) {
      expect((await postToWebhook(ms.lifecycleBody(subId, "reauthorizationRequired"))).status).toBe(202);
      await drain(db);
    }
    expect(ms.calls["subscriptions.renew"]).toBe(renewsBefore + 2);
    expect((await jobsOf(db, mailbox.id)).map((j) => j.status)).toEqual(["done"]);
  });

  it("subscriptionRemoved: a new subscription is created and delta catches up with what arrived meanwhile", async () => {
    const { user, mailbox, subId } = await connected();
    const before = ms.addMessage(user, { subject: "Avant" });
    expect((await postToWebhook(ms.notificationBody(subId, [before.id]))).status).toBe(202);
    await drain(db);

    const removal = ms.removeSubscription(subId);
    const during = ms.addMessage(user, { subject: "Pendant la coupure" }); // no notification: the subscription is gone
    expect((await postToWebhook(removal)).status).toBe(202);
    expect((await jobsOf(db, mailbox.id)).map((j) => j.kind).sort()).toEqual([
      "mailbox.renew",
      "mailbox.sync",
    ]);
    await drain(db);

    const fresh = liveSubscription(ms, user);
    expect(fresh.id).not.toBe(subId);
    const after = await getMailbox(db, mailbox.id);
    expect(after?.subscriptionId).toBe(fresh.id);
    expect(after?.clientStateHash).toBe(sha256Hex(fresh.clientState ?? ""));
    expect(await recordedIds(db, mailbox.id)).toEqual([before.id, during.id].sort());

    // The old subscription's notifications are now unknown; the new one's are processed.
    await db.pg.query("delete from jobs");
    const next = ms.addMessage(user, { subject: "Après" });
    expect(
      (
        await postToWebhook(
          ms.notificationBody(subId, [next.id], { clientState: ms.subscription(subId)?.clientState }),
        )
      ).status,
    ).toBe(202);
    expect(await jobsOf(db, mailbox.id)).toEqual([]);
    expect((await postToWebhook(ms.notificationBody(fresh.id, [next.id]))).status).toBe(202);
    await drain(db);
    expect(await recordedIds(db, mailbox.id)).toContain(next.id);
  });

  it("missed: a delta sync picks up what Graph could not deliver", async () => {
    const { user, mailbox, subId } = await connected();
    const lost = ms.addMessage(user, { subject: "Non notifié" });
    expect((await postToWebhook(ms.lifecycleBody(subId, "missed"))).status).toBe(202);
    expect(await jobsOf(db, mailbox.id)).toMatchObject([{ kind: "mailbox.sync" }]);
    await drain(db);
    expect(await recordedIds(db, mailbox.id)).toEqual([lost.id]);
  });
});
