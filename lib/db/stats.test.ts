import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statsCsv, summarize } from "@/app/_lib/stats-summary";
import { GET } from "@/app/api/stats/export/route";
import { setDbForTests } from "@/lib/db/client";
import type { PGliteDb } from "@/lib/db/pglite";
import { getDailyStats } from "@/lib/db/stats";
import { testDb } from "@/lib/testing/db";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  createAccount,
  drainPipeline,
} from "@/lib/testing/pipeline-fixtures";
import { sessionCookieHeader } from "@/lib/testing/session-cookie";

let db: PGliteDb;
let account: Account;
let empty: Account;
const ctx = { params: Promise.resolve({}) };

beforeAll(async () => {
  db = await testDb();
  setDbForTests(db);
  account = await createAccount(db);
  empty = await createAccount(db);
  await addRecipient(db, account.organizationId, { name: "Awa Koné", phone: "+2250707123456" });
  const critical = await addAnalyzedMessage(db, account, { priority: "critical" });
  const important = await addAnalyzedMessage(db, account, { priority: "important" });
  await addAnalyzedMessage(db, account, { priority: "spam" });
  await drainPipeline(db);
  // Arrival two and ten minutes before the outbox (local mode's phone) had each alert.
  await db.pg.query("update messages set received_at = now() - interval '2 minutes' where id = $1; ", [
    critical.messageId,
  ]);
  await db.pg.query("update messages set received_at = now() - interval '10 minutes' where id = $1", [
    important.messageId,
  ]);
  await db.pg.query("update alerts set sent_at = now() where kind = 'alert'");
  // "Traité" pressed on the critical one: read, though no read receipt ever came.
  await db.pg.query("update alerts set handled_at = now() where message_id = $1", [critical.messageId]);
  // A job that died on one of this organization's alerts.
  await db.pg.query(
    `insert into jobs (kind, key, payload)
       select 'alert.send', 'dead-' || id, jsonb_build_object('alertId', id) from alerts limit 1`,
  );
  await db.pg.query("update jobs set status = 'dead' where key like 'dead-%'");
}, 120_000);
afterAll(async () => {
  setDbForTests(undefined);
  await db.close();
});

describe("the stats page's days", () => {
  it("has every day of the period, all zero for an organization with no mail", async () => {
    const stats = await getDailyStats(db, empty.organizationId, 30);
    expect(stats.days).toHaveLength(30);
    expect(stats.medianSecondsToDelivered).toBeNull();
    expect(summarize(stats)).toMatchObject({
      analyzed: 0,
      alertsSent: 0,
      alertsRead: 0,
      deadJobs: 0,
      savedMinutes: 0,
    });
  });

  it("counts emails by priority, alerts sent, delivered to the outbox and acted on, tokens, dead jobs", async () => {
    const stats = await getDailyStats(db, account.organizationId, 7);
    expect(stats.days).toHaveLength(7);
    const today = stats.days.at(-1)!;
    expect(today).toMatchObject({
      critical: 1,
      important: 1,
      spam: 1,
      alertsSent: 2,
      alertsDelivered: 2,
      alertsRead: 1,
      llmInputTokens: 300,
      llmOutputTokens: 60,
      withoutLlm: 0,
      deadJobs: 1,
    });
    expect(stats.medianSecondsToDelivered).toBeGreaterThan(300);
    expect(stats.medianSecondsToDelivered).toBeLessThan(420);
    expect(stats.p90SecondsToDelivered).toBeGreaterThan(520);
    const s = summarize(stats);
    // 3 emails × 2 min − 1 alert read × 0.5 min.
    expect(s.savedMinutes).toBe(5.5);
    expect(s.costUsd).toBeCloseTo((300 * 0.1 + 60 * 0.4) / 1_000_000, 12);
  });
});

describe("GET /api/stats/export", () => {
  const get = async (query: string, who?: Account) => {
    const headers: Record<string, string> = {};
    if (who) headers.cookie = await sessionCookieHeader(db, who);
    return GET(new Request(`http://127.0.0.1:3000/api/stats/export${query}`, { headers }), ctx);
  };

  it("answers 401 without a session and 400 for another period", async () => {
    expect((await get("?days=7")).status).toBe(401);
    expect((await get("?days=12", account)).status).toBe(400);
  });

  it("exports the signed-in organization's days as CSV, and only theirs", async () => {
    const res = await get("?days=7", account);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^day,critical,important,informational,spam,/);
    expect(lines.at(-1)).toMatch(/^\d{4}-\d{2}-\d{2},1,1,0,1,0,2,2,1,300,60,0\.000054,1$/);
    const theirs = (await (await get("?days=7", empty)).text()).trim().split("\r\n");
    expect(theirs.slice(1).every((l) => /^\d{4}-\d{2}-\d{2},0,0,0,0,0,0,0,0,0,0,0\.000000,0$/.test(l))).toBe(
      true,
    );
    expect(statsCsv(await getDailyStats(db, empty.organizationId, 7))).toBe(`${theirs.join("\r\n")}\r\n`);
  });
});
