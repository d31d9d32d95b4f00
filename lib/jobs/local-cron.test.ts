import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { localDrain } from "@/app/_lib/local-drain";
import { POST } from "@/app/api/local/drain/route";
import { setDbForTests } from "@/lib/db/client";
import type { PGliteDb } from "@/lib/db/pglite";
import { type CronRuns, cronSchedule, dueCrons } from "@/lib/jobs/local-cron";
import { logger } from "@/lib/log";
import { testDb } from "@/lib/testing/db";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  alertFor,
  createAccount,
} from "@/lib/testing/pipeline-fixtures";
import { sessionCookieHeader } from "@/lib/testing/session-cookie";

const at = (iso: string) => new Date(iso);

describe("the cron schedule local mode follows", () => {
  it("is vercel.json's, every cron with its task", () => {
    const schedule = cronSchedule();
    expect(schedule.map((c) => c.path).sort()).toEqual([
      "/api/cron/poll",
      "/api/cron/renew",
      "/api/cron/work",
    ]);
    expect(() => cronSchedule({ crons: [{ path: "/api/cron/nothing", schedule: "* * * * *" }] })).toThrow(
      /no task/,
    );
    expect(() => cronSchedule({ crons: [{ path: "/api/cron/work", schedule: "every minute" }] })).toThrow();
  });

  it("runs each cron once per scheduled time, in UTC", () => {
    const schedule = cronSchedule();
    const runs: CronRuns = new Map();
    const tick = (iso: string) => {
      const due = dueCrons(schedule, runs, at(iso));
      for (const path of due) runs.set(path, at(iso));
      return due.sort();
    };
    // First ask: the every-minute work at once, the 5-minute poll whose time just passed, no renewal.
    expect(tick("2026-12-01T10:00:30Z")).toEqual(["/api/cron/poll", "/api/cron/work"]);
    expect(tick("2026-12-01T10:00:50Z")).toEqual([]);
    expect(tick("2026-12-01T10:01:00Z")).toEqual(["/api/cron/work"]);
    expect(tick("2026-12-01T10:04:59Z")).toEqual(["/api/cron/work"]);
    expect(tick("2026-12-01T10:05:02Z")).toEqual(["/api/cron/poll", "/api/cron/work"]);
    // A dashboard closed overnight: one run of each on return, the daily renewal included (03:17 UTC).
    expect(tick("2026-12-02T08:00:00Z")).toEqual(["/api/cron/poll", "/api/cron/renew", "/api/cron/work"]);
    expect(tick("2026-12-02T08:00:20Z")).toEqual([]);
  });
});

describe("POST /api/local/drain runs the periodic work", () => {
  let db: PGliteDb;
  let account: Account;
  const ctx = { params: Promise.resolve({}) };
  const loopback = {
    host: "127.0.0.1:3000",
    "x-forwarded-for": "127.0.0.1",
    origin: "http://127.0.0.1:3000",
  };

  beforeAll(async () => {
    db = await testDb();
    setDbForTests(db);
    account = await createAccount(db);
  });
  afterEach(() => vi.useRealTimers());
  afterAll(async () => {
    setDbForTests(undefined);
    await db.close();
  });

  const localHandler = localDrain(true);
  const drain = async (headers: Record<string, string> = loopback) => {
    const cookie = await sessionCookieHeader(db, account);
    const req = new Request("http://127.0.0.1:3000/api/local/drain", {
      method: "POST",
      headers: { ...headers, cookie },
    });
    // The route's handler as local mode builds it, under the route's error mapping.
    return localHandler(req, { log: logger({ test: "local-cron" }) });
  };

  it("does not exist outside local mode (the tests configure Google OAuth)", async () => {
    const cookie = await sessionCookieHeader(db, account);
    const req = new Request("http://127.0.0.1:3000/api/local/drain", {
      method: "POST",
      headers: { ...loopback, cookie },
    });
    expect((await POST(req, ctx)).status).toBe(404);
  });

  it("refuses a request that is not from this machine", async () => {
    const res = await drain({ ...loopback, "x-forwarded-for": "192.168.1.20" });
    expect(res.status).toBe(403);
  });

  it("escalates an unread critical alert after the delay, on the work cron's next minute", async () => {
    // A test clock for the schedule; the database's clock is aged by moving the sending time back.
    // It starts 5 s into a minute, so that the "same minute" step below stays in that minute
    // whatever second the test starts at.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date(Math.floor(Date.now() / 60_000) * 60_000 + 5_000) });
    const awa = await addRecipient(db, account.organizationId, {
      name: "Awa Koné",
      phone: "+2250707123456",
      escalationDelayMinutes: 15,
    });
    // The manager follows tax mail only: the contract reaches him by escalation alone.
    const manager = await addRecipient(db, account.organizationId, {
      name: "Koffi Yao",
      phone: "+2250707000005",
      role: "manager",
      escalationTarget: true,
      categories: ["tax"],
    });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });

    const first = await drain();
    expect(first.status).toBe(200);
    expect((await first.json()).crons["/api/cron/work"]).toMatchObject({ escalations: 0 });
    expect((await alertFor(db, account, messageId, awa.id)).status).toBe("sent");

    await db.pg.query("update alerts set sent_at = now() - interval '16 minutes' where kind = 'alert'");
    vi.advanceTimersByTime(20_000);
    // Same minute: the work cron already ran, nothing escalates yet.
    expect((await (await drain()).json()).crons).toEqual({});
    vi.advanceTimersByTime(45_000);
    const next = await (await drain()).json();
    expect(next.crons["/api/cron/work"]).toMatchObject({ escalations: 1 });
    const escalation = await alertFor(db, account, messageId, manager.id, "escalation");
    expect(escalation.status).toBe("sent");
    expect(escalation.rendered?.body).toMatch(/Awa Koné n’a ni lu ni traité cette alerte critique/);
  });
});
