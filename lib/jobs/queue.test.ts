import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PGliteDb } from "@/lib/db/pglite";
import { drainJobs } from "@/lib/jobs/drain";
import { PermanentFailure, RetryLater } from "@/lib/jobs/outcome";
import { claimJobs, completeJob, enqueueJob, getJob, listJobs } from "@/lib/jobs/queue";
import { testDb } from "@/lib/testing/db";

let db: PGliteDb;
beforeAll(async () => {
  db = await testDb();
});
afterAll(() => db.close());

const makeDue = () =>
  db.pg.query("update jobs set run_at = now() - interval '1 second' where status = 'pending'");

describe("job queue", () => {
  it("does not duplicate a pending key and keeps the highest history hint", async () => {
    const a = await enqueueJob(db, {
      kind: "mailbox.sync",
      key: "sync:m1",
      payload: { historyHint: "120" },
      repeatable: true,
    });
    const b = await enqueueJob(db, {
      kind: "mailbox.sync",
      key: "sync:m1",
      payload: { historyHint: "99" },
      repeatable: true,
    });
    const c = await enqueueJob(db, {
      kind: "mailbox.sync",
      key: "sync:m1",
      payload: { historyHint: "130" },
      repeatable: true,
    });
    expect(a.created).toBe(true);
    expect(b).toMatchObject({ id: a.id, created: false });
    expect(c.id).toBe(a.id);
    expect((await getJob(db, "sync:m1"))?.payload).toEqual({ historyHint: "130" });
  });

  it("re-arms a running sync job so work arriving mid-run runs again, once, afterwards", async () => {
    await enqueueJob(db, { kind: "test.sync", key: "sync:m2", repeatable: true });
    const [job] = await claimJobs(db, { limit: 10, leaseSeconds: 60, kinds: ["test.sync"] });
    expect(job?.key).toBe("sync:m2");
    const during = await enqueueJob(db, { kind: "test.sync", key: "sync:m2", repeatable: true });
    expect(during.rearmed).toBe(true);
    await completeJob(db, job!);
    expect((await getJob(db, "sync:m2"))?.status).toBe("pending");
    const [again] = await claimJobs(db, { limit: 10, leaseSeconds: 60, kinds: ["test.sync"] });
    await completeJob(db, again!);
    expect((await getJob(db, "sync:m2"))?.status).toBe("done");
    // A later push re-opens the same row instead of inserting another.
    const later = await enqueueJob(db, { kind: "test.sync", key: "sync:m2", repeatable: true });
    expect(later).toMatchObject({ id: job!.id, status: "pending" });
  });

  it("ignores a non-repeatable key that already ran", async () => {
    await enqueueJob(db, { kind: "message.analyze", key: "analyze:m:1" });
    const [job] = await claimJobs(db, { limit: 1, leaseSeconds: 60, kinds: ["message.analyze"] });
    await completeJob(db, job!);
    const again = await enqueueJob(db, { kind: "message.analyze", key: "analyze:m:1" });
    expect(again).toMatchObject({ created: false, status: "done" });
  });

  it("executes each of 1,000 jobs exactly once across 4 concurrent drainers", async () => {
    for (let i = 0; i < 1000; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) =>
          enqueueJob(db, { kind: "test.count", key: `count:${i + j}`, payload: { n: i + j } }),
        ),
      );
    }
    const runs = new Map<number, number>();
    const registry = {
      "test.count": async (job: { payload: Record<string, unknown> }) => {
        const n = job.payload.n as number;
        runs.set(n, (runs.get(n) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 0));
      },
    };
    const reports = await Promise.all(
      Array.from({ length: 4 }, () =>
        drainJobs(db, registry, { kinds: ["test.count"], concurrency: 4, budgetMs: 60_000 }),
      ),
    );
    expect(runs.size).toBe(1000);
    expect([...runs.values()].every((c) => c === 1)).toBe(true);
    expect(reports.reduce((s, r) => s + r.done, 0)).toBe(1000);
    // A correctness check, not a speed one (npm run bench measures that): room for a loaded machine.
  }, 180_000);

  it("starts work that arrives while a chain runs in the free slots, from the completion's claim", async () => {
    await enqueueJob(db, { kind: "test.stream", key: "stream:0", payload: { n: 0 } });
    let running = 0;
    let most = 0;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const registry = {
      "test.stream": async (job: { payload: Record<string, unknown> }) => {
        running++;
        most = Math.max(most, running);
        if (job.payload.n === 0) {
          // Mail arrives once the drain has found nothing else to claim and only this job runs.
          await sleep(20);
          for (let i = 1; i <= 8; i++)
            await enqueueJob(db, { kind: "test.stream", key: `stream:${i}`, payload: { n: i } });
        }
        await sleep(30);
        running--;
      },
    };
    const report = await drainJobs(db, registry, {
      kinds: ["test.stream"],
      concurrency: 4,
      budgetMs: 60_000,
    });
    expect(report.done).toBe(9);
    // Without it the one running slot chained the eight jobs one at a time.
    expect(most).toBe(4);
  });

  it("loses nothing when a drainer dies mid-job: the lease expires and another finishes it", async () => {
    await enqueueJob(db, { kind: "test.crash", key: "crash:1" });
    // The first drainer claims with a lease that is already over, then "dies" (never completes).
    const [dying] = await claimJobs(db, { limit: 1, leaseSeconds: 0, kinds: ["test.crash"] });
    expect(dying?.status).toBe("running");
    let finished = 0;
    const report = await drainJobs(
      db,
      { "test.crash": async () => void finished++ },
      { kinds: ["test.crash"] },
    );
    expect(report.done).toBe(1);
    expect(finished).toBe(1);
    // The dead drainer's late completion is refused: its lease is gone.
    expect((await completeJob(db, dying!)).ok).toBe(false);
    expect((await getJob(db, "crash:1"))?.status).toBe("done");
  });

  it("retries a failing job with growing delays and ends dead after max_attempts with its last error", async () => {
    await enqueueJob(db, { kind: "test.fail", key: "fail:1", maxAttempts: 5 });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      await makeDue();
      const report = await drainJobs(
        db,
        {
          "test.fail": async () => {
            throw new Error(`vendor down (attempt ${attempt})`);
          },
        },
        { kinds: ["test.fail"] },
      );
      expect(report.claimed).toBe(1);
      const job = (await getJob(db, "fail:1"))!;
      if (attempt < 5) {
        expect(job.status).toBe("pending");
        delays.push((job.runAt.getTime() - job.updatedAt.getTime()) / 1000);
      } else {
        expect(job.status).toBe("dead");
        expect(job.lastError).toContain("vendor down (attempt 5)");
      }
    }
    // 5 s × 2^(n-1) with ±50 % jitter: each delay sits in its band and the bands grow.
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(2.5 * 2 ** i - 0.01);
      expect(d).toBeLessThanOrEqual(7.5 * 2 ** i + 0.01);
    });
    expect(delays[3]!).toBeGreaterThan(delays[0]!);
    const dead = await listJobs(db, { status: "dead" });
    expect(dead.map((j) => j.key)).toContain("fail:1");
  });

  it("honours Retry-After and marks permanent failures dead at once", async () => {
    await enqueueJob(db, { kind: "test.later", key: "later:1" });
    await enqueueJob(db, { kind: "test.perm", key: "perm:1" });
    await drainJobs(
      db,
      {
        "test.later": async () => {
          throw new RetryLater(90);
        },
        "test.perm": async () => {
          throw new PermanentFailure("access revoked");
        },
      },
      { kinds: ["test.later", "test.perm"] },
    );
    const later = (await getJob(db, "later:1"))!;
    expect(later.status).toBe("pending");
    expect((later.runAt.getTime() - later.updatedAt.getTime()) / 1000).toBeCloseTo(90, 0);
    expect((await getJob(db, "perm:1"))?.status).toBe("dead");
  });

  it("marks unknown job kinds dead instead of retrying them forever", async () => {
    await enqueueJob(db, { kind: "test.unknown", key: "unknown:1" });
    const report = await drainJobs(db, {}, { kinds: ["test.unknown"] });
    expect(report.dead).toBe(1);
    expect((await getJob(db, "unknown:1"))?.lastError).toContain("no handler");
  });

  it("defers without spending an attempt", async () => {
    await enqueueJob(db, { kind: "test.defer", key: "defer:1", maxAttempts: 1 });
    const until = new Date(Date.now() + 3_600_000);
    await drainJobs(db, { "test.defer": async () => ({ deferUntil: until }) }, { kinds: ["test.defer"] });
    const job = (await getJob(db, "defer:1"))!;
    expect(job).toMatchObject({ status: "pending", attempts: 0 });
    expect(job.runAt.getTime()).toBe(until.getTime());
  });
});

describe("job queue backoff", () => {
  it("does not let new work pull a job out of its retry backoff (a vendor's Retry-After holds)", async () => {
    await enqueueJob(db, { kind: "test.throttled", key: "throttled:1", repeatable: true });
    await drainJobs(
      db,
      {
        "test.throttled": async () => {
          throw new RetryLater(120);
        },
      },
      { kinds: ["test.throttled"] },
    );
    const waiting = (await getJob(db, "throttled:1"))!;
    const again = await enqueueJob(db, {
      kind: "test.throttled",
      key: "throttled:1",
      payload: { more: true },
      repeatable: true,
    });
    expect(again.status).toBe("pending");
    const after = (await getJob(db, "throttled:1"))!;
    expect(after.runAt.getTime()).toBe(waiting.runAt.getTime());
    expect(after.payload).toMatchObject({ more: true });
  });
});
