import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/cron/work/route";
import { setDbForTests } from "@/lib/db/client";
import type { PGliteDb } from "@/lib/db/pglite";
import { env } from "@/lib/env";
import { enqueueJob, getJob } from "@/lib/jobs/queue";
import { testDb } from "@/lib/testing/db";

const ctx = { params: Promise.resolve({}) };
const call = (headers: Record<string, string> = {}) =>
  GET(new Request("http://localhost/api/cron/work", { headers }), ctx);

let db: PGliteDb;
beforeAll(async () => {
  db = await testDb();
  setDbForTests(db);
});
afterAll(async () => {
  setDbForTests(undefined);
  await db.close();
});

// A kind no registry knows: draining it ends dead with "no handler", which shows it was claimed.
beforeEach(async () => {
  await db.pg.query("delete from jobs");
  await enqueueJob(db, { kind: "test.cron", key: "cron:1" });
});

describe("GET /api/cron/work", () => {
  it.each([
    ["no bearer", {}],
    ["a wrong bearer of the same length", { authorization: `Bearer ${"z".repeat(env.CRON_SECRET.length)}` }],
    ["a wrong bearer of another length", { authorization: "Bearer not-the-cron-secret" }],
    ["the secret with a trailing character", { authorization: `Bearer ${env.CRON_SECRET}=` }],
  ])("answers 401 to %s and drains nothing", async (_name, headers) => {
    const res = await call(headers);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: "unauthorized" });
    expect((await getJob(db, "cron:1"))?.status).toBe("pending");
  });

  it("drains due jobs for the right bearer", async () => {
    await enqueueJob(db, { kind: "test.cron", key: "cron:later", runAt: new Date(Date.now() + 3_600_000) });
    const res = await call({ authorization: `Bearer ${env.CRON_SECRET}` });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, claimed: 1, dead: 1, scheduled: { pruned: 0 } });
    const job = await getJob(db, "cron:1");
    expect(job?.status).toBe("dead");
    expect(job?.lastError).toContain("no handler for job kind test.cron");
    // Not yet due: left alone.
    expect((await getJob(db, "cron:later"))?.status).toBe("pending");
  });

  it("prunes finished jobs older than a week", async () => {
    await db.pg.query(
      "insert into jobs (kind, key, status, completed_at) values ('test.old', 'old:1', 'done', now() - interval '8 days')",
    );
    const res = await call({ authorization: `Bearer ${env.CRON_SECRET}` });
    expect((await res.json()).scheduled).toMatchObject({ pruned: 1 });
    expect(await getJob(db, "old:1")).toBeNull();
  });
});
