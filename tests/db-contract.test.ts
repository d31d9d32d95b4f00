import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/port";
import { connectPostgres, postgresDb } from "@/lib/db/postgres";
import type { Row } from "@/lib/db/sql-rpc";
import { supabaseDb } from "@/lib/db/supabase";
import { AppError } from "@/lib/errors/app-error";
import { drainJobs } from "@/lib/jobs/drain";
import { claimJobs, completeJob, enqueueJob, failJob, getJob, type Job } from "@/lib/jobs/queue";
import { parseKeyRing } from "@/lib/security/key-ring";
import { loadTokens, saveTokens } from "@/lib/security/token-store";
import { realPostgresAvailable, realPostgresDb, testDb } from "@/lib/testing/db";
import { server } from "@/lib/testing/msw";
import { postgrestHandlers } from "@/lib/testing/postgrest-fake";

/**
 * The database contract: what every transport must do identically. One suite, run over PGlite,
 * over the supabase transport (PostgREST emulated by msw in front of PGlite), and over a real
 * PostgreSQL server. `sql` is a side door for fixtures and for moving time forward.
 */
type Harness = {
  db: Db;
  sql(query: string, params?: unknown[]): Promise<Row[]>;
  /** Real servers only: where more connections can be opened. */
  url?: string;
  /** Called before each test (msw handlers are reset after every test). */
  install?(): void;
  close(): Promise<void>;
};

async function pgliteHarness(): Promise<Harness> {
  const db = await testDb();
  return { db, sql: async (q, p) => (await db.pg.query<Row>(q, p)).rows, close: () => db.close() };
}

async function supabaseHarness(): Promise<Harness> {
  const backing = await testDb();
  const url = "https://contract.supabase.test";
  const key = `sb_secret_${randomBytes(12).toString("hex")}`;
  return {
    db: supabaseDb(url, key),
    sql: async (q, p) => (await backing.pg.query<Row>(q, p)).rows,
    install: () => server.use(...postgrestHandlers(url, key, backing)),
    close: () => backing.close(),
  };
}

async function realPostgresHarness(): Promise<Harness> {
  const db = await realPostgresDb();
  const side = connectPostgres(db.url, { max: 2 });
  return {
    db,
    url: db.url,
    sql: async (q, p = []) => (await side.unsafe(q, p as never[])) as unknown as Row[],
    close: async () => {
      await side.end();
      await db.drop();
    },
  };
}

const ring = parseKeyRing(`c1:${randomBytes(32).toString("base64")}`);

async function insertMailbox(h: Harness): Promise<string> {
  const [org] = await h.sql("insert into organizations (name) values ('Contrat SA') returning id");
  const [mb] = await h.sql(
    "insert into mailboxes (organization_id, provider, address) values ($1, 'gmail', $2) returning id",
    [org!.id, `dg-${randomBytes(4).toString("hex")}@contrat.ci`],
  );
  return mb!.id as string;
}

function databaseContract(name: string, open: () => Promise<Harness>) {
  describe(`database contract over ${name}`, () => {
    let h: Harness;
    let db: Db;
    beforeAll(async () => {
      h = await open();
      db = h.db;
    });
    beforeEach(() => h.install?.());
    afterAll(() => h?.close());

    const makeDue = (key: string) =>
      h.sql("update jobs set run_at = now() - interval '1 second' where key = $1", [key]);
    const claimOne = async (kind: string, leaseSeconds = 60): Promise<Job> => {
      const [job] = await claimJobs(db, { limit: 1, leaseSeconds, kinds: [kind] });
      expect(job, `a due ${kind} job`).toBeDefined();
      return job!;
    };

    it("enqueues once per key and merges history hints, the highest winning", async () => {
      const a = await enqueueJob(db, {
        kind: "mailbox.sync",
        key: "sync:c1",
        payload: { historyHint: "500", mailboxId: "m" },
        repeatable: true,
      });
      const b = await enqueueJob(db, {
        kind: "mailbox.sync",
        key: "sync:c1",
        payload: { historyHint: "499" },
        repeatable: true,
      });
      const c = await enqueueJob(db, {
        kind: "mailbox.sync",
        key: "sync:c1",
        payload: { historyHint: "1000" },
        repeatable: true,
      });
      expect(a).toMatchObject({ created: true, status: "pending" });
      expect(b).toMatchObject({ id: a.id, created: false, status: "pending" });
      expect(c.id).toBe(a.id);
      expect((await getJob(db, "sync:c1"))?.payload).toEqual({ historyHint: "1000", mailboxId: "m" });
      expect(await h.sql("select count(*)::int as n from jobs where key = 'sync:c1'")).toEqual([{ n: 1 }]);
    });

    it("re-arms a running repeatable job so it runs once more after completing, however many pushes came", async () => {
      await enqueueJob(db, { kind: "test.sync", key: "sync:c2", repeatable: true });
      const running = await claimOne("test.sync");
      // Three pushes while it runs (a real one, ours, another real one): one follow-up, not three.
      for (let i = 0; i < 3; i++) {
        expect(await enqueueJob(db, { kind: "test.sync", key: "sync:c2", repeatable: true })).toMatchObject({
          created: false,
          status: "running",
          rearmed: true,
        });
      }
      expect(await h.sql("select count(*)::int as n from jobs where key = 'sync:c2'")).toEqual([{ n: 1 }]);
      expect(await completeJob(db, running)).toMatchObject({ ok: true, status: "pending" });
      const again = await claimOne("test.sync");
      expect(again.id).toBe(running.id);
      expect(await completeJob(db, again)).toMatchObject({ ok: true, status: "done" });
    });

    it("claims with a lease and completes only with that lease", async () => {
      await enqueueJob(db, { kind: "test.claim", key: "claim:c1", payload: { n: 1 } });
      const job = await claimOne("test.claim");
      expect(job).toMatchObject({ key: "claim:c1", status: "running", attempts: 1, payload: { n: 1 } });
      expect(job.leaseToken).toMatch(/^[0-9a-f-]{36}$/);
      expect(job.leasedUntil!.getTime()).toBeGreaterThan(Date.now() + 50_000);
      // Nothing else is due for that kind while it runs.
      expect(await claimJobs(db, { limit: 5, leaseSeconds: 60, kinds: ["test.claim"] })).toEqual([]);
      expect((await completeJob(db, { id: job.id, leaseToken: randomUUID() })).ok).toBe(false);
      expect(await completeJob(db, job)).toMatchObject({ ok: true, status: "done" });
      expect((await completeJob(db, job)).ok).toBe(false);
      const done = await getJob(db, "claim:c1");
      expect(done).toMatchObject({ status: "done", leaseToken: null, leasedUntil: null });
      expect(done?.completedAt).toBeInstanceOf(Date);
    });

    it("fails with exponential backoff, then dead after max attempts with the last error", async () => {
      await enqueueJob(db, { kind: "test.fail", key: "fail:c1", maxAttempts: 3 });
      const delays: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        await makeDue("fail:c1");
        const job = await claimOne("test.fail");
        expect(job.attempts).toBe(attempt);
        const result = await failJob(db, job, { error: `HTTP 503 (attempt ${attempt})` });
        const stored = (await getJob(db, "fail:c1"))!;
        if (attempt < 3) {
          expect(result).toMatchObject({ ok: true, status: "pending", attempts: attempt });
          delays.push((stored.runAt.getTime() - stored.updatedAt.getTime()) / 1000);
        } else {
          expect(result).toMatchObject({ ok: true, status: "dead", attempts: 3 });
          expect(stored).toMatchObject({ status: "dead", lastError: "HTTP 503 (attempt 3)" });
        }
      }
      expect(delays[0]).toBeGreaterThanOrEqual(2.5 - 0.01);
      expect(delays[0]).toBeLessThanOrEqual(7.5 + 0.01);
      expect(delays[1]).toBeGreaterThanOrEqual(5 - 0.01);
      expect(delays[1]).toBeLessThanOrEqual(15 + 0.01);
      // Dead is final: nothing to claim even once due.
      await makeDue("fail:c1");
      expect(await claimJobs(db, { limit: 5, leaseSeconds: 60, kinds: ["test.fail"] })).toEqual([]);
    });

    it("reclaims a job whose lease expired and refuses the first holder's late completion", async () => {
      await enqueueJob(db, { kind: "test.lease", key: "lease:c1" });
      const first = await claimOne("test.lease", 0);
      const second = await claimOne("test.lease", 60);
      expect(second.id).toBe(first.id);
      expect(second.attempts).toBe(2);
      expect(second.leaseToken).not.toBe(first.leaseToken);
      expect((await completeJob(db, first)).ok).toBe(false);
      expect((await failJob(db, first, { error: "late" })).ok).toBe(false);
      expect((await completeJob(db, second)).ok).toBe(true);
    });

    it("stores tokens compare-and-set: of two writers from the same version, exactly one wins", async () => {
      const mailboxId = await insertMailbox(h);
      const token = (s: string) => ({
        accessToken: `at-${s}`,
        refreshToken: `rt-${s}`,
        expiresAt: 1,
        scope: null,
      });
      const results = await Promise.all(
        ["a", "b"].map((s) =>
          saveTokens(db, ring, { mailboxId, tokens: token(s), previous: null, expectedVersion: 0 }),
        ),
      );
      expect(results.filter((r) => r.stored)).toHaveLength(1);
      const loaded = await loadTokens(db, ring, mailboxId);
      expect(loaded?.version).toBe(1);
      expect(loaded?.tokens?.accessToken).toBe(results[0]!.stored ? "at-a" : "at-b");
      const stale = await saveTokens(db, ring, {
        mailboxId,
        tokens: token("c"),
        previous: null,
        expectedVersion: 0,
      });
      expect(stale).toEqual({ stored: false, version: 1 });
    });

    it("appends to the audit log and lists it newest first, per organization", async () => {
      const [org] = await h.sql("insert into organizations (name) values ('Audit SARL') returning id");
      const orgId = org!.id as string;
      const first = (await db.rpc("audit_append", {
        p_organization_id: orgId,
        p_actor: "user:1",
        p_action: "mailbox.connect",
        p_target: "mailbox:1",
        p_details: { provider: "gmail" },
      })) as { id: number; createdAt: string };
      await db.rpc("audit_append", {
        p_organization_id: orgId,
        p_actor: "system",
        p_action: "token.refresh_failed",
      });
      await db.rpc("audit_append", {
        p_organization_id: null,
        p_actor: "system",
        p_action: "account.delete",
      });
      expect(first.id).toBeTypeOf("number");
      expect(Number.isNaN(Date.parse(first.createdAt))).toBe(false);
      const list = (await db.rpc("audit_list", { p_organization_id: orgId })) as Array<
        Record<string, unknown>
      >;
      expect(list.map((e) => e.action)).toEqual(["token.refresh_failed", "mailbox.connect"]);
      expect(list[1]).toMatchObject({ actor: "user:1", target: "mailbox:1", details: { provider: "gmail" } });
      const older = await db.rpc("audit_list", { p_organization_id: orgId, p_before_id: list[0]!.id });
      expect((older as unknown[]).length).toBe(1);
      await expect(
        db.rpc("audit_append", { p_organization_id: orgId, p_actor: "x", p_action: "Not An Action" }),
      ).rejects.toMatchObject({ status: 422 });
    });

    it("maps PTxxx errors raised by functions to the same AppError on every transport", async () => {
      await enqueueJob(db, { kind: "test.owner", key: "owned:c1" });
      const conflict = await enqueueJob(db, { kind: "test.other", key: "owned:c1" }).catch((e) => e);
      expect(conflict).toBeInstanceOf(AppError);
      expect(conflict).toMatchObject({ status: 409, code: "db_409" });
      expect(conflict.message).toContain("owned:c1");
      const mailboxId = await insertMailbox(h);
      const unsealed = await db
        .rpc("mailbox_token_store", {
          p_mailbox_id: mailboxId,
          p_ciphertext: "plain-access-token",
          p_expires_at: new Date(),
          p_expected_version: 0,
        })
        .catch((e) => e);
      expect(unsealed).toMatchObject({ status: 422, code: "db_422" });
    });

    it("maps a malformed argument to 422", async () => {
      const error = await db.rpc("mailbox_token_get", { p_mailbox_id: "not-a-uuid" }).catch((e) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ status: 422, code: "invalid" });
    });

    it("answers 404 unknown_rpc for a function that does not exist", async () => {
      const error = await db.rpc("no_such_function", {}).catch((e) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ status: 404, code: "unknown_rpc" });
    });

    it("refuses a parameter the function does not have", async () => {
      await expect(db.rpc("job_get", { p_wrong: "x" })).rejects.toBeInstanceOf(AppError);
      await expect(db.rpc("job_get", { key: "x" })).rejects.toBeInstanceOf(AppError);
      // The right name works, and returns JSON null for a missing row.
      expect(await db.rpc("job_get", { p_key: "nothing:here" })).toBeNull();
    });
  });
}

databaseContract("pglite", pgliteHarness);
databaseContract("supabase (PostgREST emulation)", supabaseHarness);

describe.runIf(realPostgresAvailable())("real PostgreSQL", () => {
  databaseContract("real PostgreSQL", realPostgresHarness);

  describe("concurrent drainers", () => {
    let h: Harness;
    let url: string;
    const pools: Db[] = [];
    const drainerDb = () => {
      const d = postgresDb(connectPostgres(url, { max: 4 }));
      pools.push(d);
      return d;
    };
    beforeAll(async () => {
      h = await realPostgresHarness();
      url = h.url!;
    });
    afterAll(async () => {
      for (const p of pools) await p.close().catch(() => {});
      await h?.close();
    });

    it("executes each of 1,000 jobs exactly once across 4 drainers with their own connections", async () => {
      await h.sql(
        `insert into jobs (kind, key, payload)
         select 'test.count', 'count:' || g, jsonb_build_object('n', g) from generate_series(0, 999) g`,
      );
      const runs = new Map<number, number>();
      const registry = {
        "test.count": async (job: Job) => {
          const n = job.payload.n as number;
          runs.set(n, (runs.get(n) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, Math.random() * 2));
        },
      };
      const reports = await Promise.all(
        Array.from({ length: 4 }, () =>
          drainJobs(drainerDb(), registry, { kinds: ["test.count"], concurrency: 4, budgetMs: 60_000 }),
        ),
      );
      expect(runs.size).toBe(1000);
      expect([...runs.values()].every((c) => c === 1)).toBe(true);
      expect(reports.reduce((s, r) => s + r.done, 0)).toBe(1000);
      // Work was really shared: every drainer did some.
      expect(reports.every((r) => r.done > 0)).toBe(true);
      expect(
        await h.sql("select status, count(*)::int as n from jobs where kind = 'test.count' group by status"),
      ).toEqual([{ status: "done", n: 1000 }]);
    });

    it("keeps a job that runs three times its lease to one drainer: the heartbeat extends it", async () => {
      // A 1-second lease (the row's own, as defineJob's leaseSeconds sets it) and a 3.5-second run.
      await h.sql("insert into jobs (kind, key, lease_seconds) values ('test.slow', 'slow:1', 1)");
      let runs = 0;
      const slow = {
        "test.slow": async () => {
          runs++;
          await new Promise((r) => setTimeout(r, 3_500));
        },
      };
      const first = drainJobs(drainerDb(), slow, { kinds: ["test.slow"], budgetMs: 100 });
      // Another process keeps draining meanwhile, on its own connection, past every lease expiry.
      const others = drainerDb();
      let stolen = 0;
      for (let i = 0; i < 12; i++) {
        await new Promise((r) => setTimeout(r, 250));
        stolen += (await drainJobs(others, slow, { kinds: ["test.slow"], budgetMs: 50 })).claimed;
      }
      const report = await first;
      expect({ runs, stolen, done: report.done }).toEqual({ runs: 1, stolen: 0, done: 1 });
      expect(await h.sql("select status, attempts from jobs where key = 'slow:1'")).toEqual([
        { status: "done", attempts: 1 },
      ]);
    });

    it("loses nothing when a drainer dies mid-job: its leases expire and another finishes", async () => {
      await h.sql(
        `insert into jobs (kind, key) select 'test.crash', 'crash:' || g from generate_series(1, 20) g`,
      );
      const started: string[] = [];
      let allStarted: () => void = () => {};
      const fourStarted = new Promise<void>((r) => {
        allStarted = r;
      });
      const never = new Promise<void>(() => {});
      const dying = drainerDb();
      const doomed = drainJobs(
        dying,
        {
          "test.crash": async (job) => {
            started.push(job.key);
            if (started.length === 4) allStarted();
            await never; // the process dies here
          },
        },
        { kinds: ["test.crash"], concurrency: 4, leaseSeconds: 300, budgetMs: 60_000 },
      );
      void doomed.catch(() => {});
      await fourStarted;
      await dying.close(); // the process is gone, its connections with it

      const finished: string[] = [];
      const survivor = { "test.crash": async (job: Job) => void finished.push(job.key) };
      // While the dead drainer's leases run, its four jobs are left alone...
      const first = await drainJobs(drainerDb(), survivor, { kinds: ["test.crash"] });
      expect(first.done).toBe(16);
      expect(finished.some((k) => started.includes(k))).toBe(false);
      // ...and once they expire (time moved forward), another drainer finishes them.
      await h.sql(
        "update jobs set leased_until = now() - interval '1 second' where kind = 'test.crash' and status = 'running'",
      );
      const second = await drainJobs(drainerDb(), survivor, { kinds: ["test.crash"] });
      expect(second.done).toBe(4);
      expect(finished.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `crash:${i + 1}`).sort());
      expect(
        await h.sql("select status, count(*)::int as n from jobs where kind = 'test.crash' group by status"),
      ).toEqual([{ status: "done", n: 20 }]);
    });
  });
});
