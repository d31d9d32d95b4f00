import { describe, expect, it } from "vitest";
import { GET as healthRoute } from "@/app/api/health/route";
import { setDbForTests } from "@/lib/db/client";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Mailbox } from "@/lib/db/schemas";
import { webhookRejectionCounts } from "@/lib/db/webhook-rejections";
import type { JobHandler } from "@/lib/jobs/define";
import { getJob } from "@/lib/jobs/queue";
import { jobRegistry } from "@/lib/jobs/registry";
import type { GoogleFake } from "@/lib/testing/google-fake";
import {
  count,
  deliver,
  drainMail,
  dyingDb,
  postPush,
  push,
  recordedIds,
  setUpGmailSuite,
} from "@/tests/gmail-harness";

const ADDRESS = "direction@sahel-negoce.ci";
const routeCtx = { params: Promise.resolve({}) };
let db: PGliteDb;
let fake: GoogleFake;
let mailbox: Mailbox;

setUpGmailSuite({
  address: ADDRESS,
  ready: (suite) => {
    db = suite.db;
    fake = suite.fake;
    mailbox = suite.mailbox!;
  },
});

const jobRows = () => count(db, "select 1 from jobs");
const syncKey = () => `sync:${mailbox.id}`;
const analyzeJobs = () => count(db, "select 1 from jobs where kind = 'message.analyze'");
const allIds = () => [...fake.mailbox(ADDRESS).messages.keys()].sort();

describe("POST /api/webhooks/gmail: authentication", () => {
  const forgeries: Array<[string, (f: GoogleFake) => Promise<string | null>]> = [
    ["no Authorization header", async () => null],
    ["a garbage bearer", async () => "garbage"],
    ["a token signed by a key Google does not publish", (f) => f.mintPushToken({ signer: "unknown" })],
    ["a token naming an unknown key id", (f) => f.mintPushToken({ signer: "unknown", kid: "not-google" })],
    ["a token for another audience", (f) => f.mintPushToken({ audience: "https://evil.example/hook" })],
    [
      "a token from another service account",
      (f) => f.mintPushToken({ email: "x@evil.iam.gserviceaccount.com" }),
    ],
    ["a token whose email is not verified", (f) => f.mintPushToken({ emailVerified: false })],
    ["an expired token", (f) => f.mintPushToken({ expiresInSeconds: -120 })],
    ["a token from another issuer", (f) => f.mintPushToken({ issuer: "https://evil.example" })],
  ];

  it.each(forgeries)("answers 401 to %s and stores nothing", async (_name, mint) => {
    deliver(fake, ADDRESS, 1);
    const before = await jobRows();
    const res = await postPush(fake.pushEnvelope(ADDRESS), await mint(fake));
    expect(res.status).toBe(401);
    expect(await jobRows()).toBe(before);
    expect(await getJob(db, syncKey())).toBeNull();
  });

  it("checks the token before reading the body", async () => {
    const res = await postPush("{not json", await fake.mintPushToken({ audience: "https://evil.example" }));
    expect(res.status).toBe(401);
  });
});

describe("POST /api/webhooks/gmail: envelope", () => {
  it.each([
    ["a body that is not JSON", "{not json"],
    ["no message", { subscription: "projects/p/subscriptions/s" }],
    [
      "data that is not base64 JSON",
      { message: { data: "!!", messageId: "1", publishTime: "x" }, subscription: "s" },
    ],
    [
      "data without a history id",
      {
        message: {
          data: Buffer.from(JSON.stringify({ emailAddress: ADDRESS })).toString("base64"),
          messageId: "1",
          publishTime: new Date().toISOString(),
        },
        subscription: "projects/p/subscriptions/s",
      },
    ],
  ])(
    "acknowledges a valid token with %s (204, so Pub/Sub stops redelivering), counts it, queues nothing",
    async (_name, body) => {
      const dayAgo = new Date(Date.now() - 86_400_000);
      const before = (await webhookRejectionCounts(db, dayAgo)).gmail;
      const res = await postPush(body, await fake.mintPushToken());
      expect(res.status).toBe(204);
      expect(await jobRows()).toBe(0);
      const counts = { gmail: before + 1, outlook: 0, whatsapp: 0 };
      expect(await webhookRejectionCounts(db, dayAgo)).toEqual(counts);
      const health = await (await healthRoute(new Request("http://localhost/api/health"), routeCtx)).json();
      expect(health.webhooks).toEqual({ unreadableLastDay: counts });
    },
  );

  it("acknowledges an unknown address with 204 and stores nothing", async () => {
    const res = await postPush(fake.pushEnvelope("inconnu@ailleurs.ci"), await fake.mintPushToken());
    expect(res.status).toBe(204);
    expect(await jobRows()).toBe(0);
  });

  it("enqueues sync:<mailbox> with the hinted history id and answers 204", async () => {
    const [m] = deliver(fake, ADDRESS, 1);
    const res = await postPush(
      fake.pushEnvelope(ADDRESS, { historyId: Number(m?.historyId), encoding: "base64url" }),
      await fake.mintPushToken(),
    );
    expect(res.status).toBe(204);
    const job = await getJob(db, syncKey());
    expect(job).toMatchObject({ kind: "mailbox.sync", status: "pending" });
    expect(job?.payload).toMatchObject({ mailboxId: mailbox.id, historyHint: m?.historyId });
  });
});

describe("POST /api/webhooks/gmail: persistence", () => {
  it("answers 5xx when the job cannot be stored, so Pub/Sub redelivers", async () => {
    // The push's one call: the mailbox looked up and its sync enqueued (mailbox_push_enqueue).
    setDbForTests(
      dyingDb(db, "mailbox_push_enqueue", async () => {
        throw new Error("connection reset");
      }),
    );
    try {
      const res = await push(fake, ADDRESS);
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      setDbForTests(db);
    }
    expect(await jobRows()).toBe(0);
  });
});

describe("duplicate, reordered and bursty pushes", () => {
  it("records and analyses each message once when the same push comes twice", async () => {
    const sent = deliver(fake, ADDRESS, 2);
    const hint = sent[1]?.historyId;
    expect((await push(fake, ADDRESS, hint)).status).toBe(204);
    await drainMail(db);
    expect((await push(fake, ADDRESS, hint)).status).toBe(204);
    await drainMail(db);

    expect(await recordedIds(db, mailbox.id)).toEqual(allIds());
    expect(await analyzeJobs()).toBe(2);
    expect(fake.calls("messages.get")).toBe(2);
    expect(await count(db, "select 1 from messages where status = 'analyzed'")).toBe(2);
  });

  it("records each message once when pushes arrive out of order", async () => {
    const [first] = deliver(fake, ADDRESS, 1);
    const [second] = deliver(fake, ADDRESS, 1);
    await push(fake, ADDRESS, second?.historyId);
    await drainMail(db);
    const historyCalls = fake.calls("history.list");
    // The older notification arrives last: the cursor is already past it, so there is no work.
    await push(fake, ADDRESS, first?.historyId);
    await drainMail(db);
    expect(fake.calls("history.list")).toBe(historyCalls);
    expect(await recordedIds(db, mailbox.id)).toEqual(allIds());
    expect(await analyzeJobs()).toBe(2);

    // Both queued before a drain: they coalesce and the highest hint wins.
    const [third] = deliver(fake, ADDRESS, 1);
    const [fourth] = deliver(fake, ADDRESS, 1);
    await push(fake, ADDRESS, fourth?.historyId);
    await push(fake, ADDRESS, third?.historyId);
    expect((await getJob(db, syncKey()))?.payload.historyHint).toBe(fourth?.historyId);
    await drainMail(db);
    expect(await recordedIds(db, mailbox.id)).toEqual(allIds());
    expect(await analyzeJobs()).toBe(4);
    expect(fake.calls("messages.get")).toBe(4);
  });

  it("coalesces 50 pushes into one job row and runs syncs one at a time", async () => {
    const sent = deliver(fake, ADDRESS, 12);
    const hints = Array.from({ length: 50 }, (_, i) => sent[i % sent.length]?.historyId);
    const answers = await Promise.all(hints.map((h) => push(fake, ADDRESS, h)));
    expect(answers.every((r) => r.status === 204)).toBe(true);
    expect(await count(db, "select 1 from jobs where kind = 'mailbox.sync'")).toBe(1);
    expect((await getJob(db, syncKey()))?.payload.historyHint).toBe(sent.at(-1)?.historyId);

    // More mail and more pushes while the sync runs: the running job is re-armed, not duplicated.
    const box = fake.mailbox(ADDRESS);
    const midRun: Array<{ status: number; syncRows: number }> = [];
    for (let i = 0; i < 3; i++) {
      fake.onNext("history.list", async () => {
        const m = box.addMessage({ from: "ops@port.ci", subject: `Arrivée ${i}`, text: "Conteneur arrivé." });
        const res = await push(fake, ADDRESS, m.historyId);
        midRun.push({
          status: res.status,
          syncRows: await count(db, "select 1 from jobs where kind = 'mailbox.sync'"),
        });
      });
    }
    fake.setLatency(5);

    const registry = jobRegistry();
    const sync = registry["mailbox.sync"] as JobHandler;
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    registry["mailbox.sync"] = async (job, ctx) => {
      running++;
      runs++;
      maxRunning = Math.max(maxRunning, running);
      try {
        return await sync(job, ctx);
      } finally {
        running--;
      }
    };
    // Two drainers side by side, as overlapping cron and after-response drains would be.
    await Promise.all([
      drainMail(db, { registry, concurrency: 4 }),
      drainMail(db, { registry, concurrency: 4 }),
    ]);

    expect(maxRunning).toBe(1);
    expect(midRun.length).toBeGreaterThanOrEqual(1);
    expect(midRun.every((r) => r.status === 204 && r.syncRows === 1)).toBe(true);
    expect(runs).toBeGreaterThanOrEqual(2);
    const total = 12 + midRun.length;
    expect(allIds()).toHaveLength(total);
    expect(await recordedIds(db, mailbox.id)).toEqual(allIds());
    expect(await analyzeJobs()).toBe(total);
    expect(fake.calls("messages.get")).toBe(total);
    expect(await count(db, "select 1 from messages where status = 'analyzed'")).toBe(total);
    expect((await getJob(db, syncKey()))?.status).toBe("done");
  });
});
