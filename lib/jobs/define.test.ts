import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { PGliteDb } from "@/lib/db/pglite";
import { defineJob, handlerOf } from "@/lib/jobs/define";
import { drainJobs } from "@/lib/jobs/drain";
import { enqueue } from "@/lib/jobs/enqueue";
import { claimJobs, completeJob, enqueueJob, getJob } from "@/lib/jobs/queue";
import { testDb } from "@/lib/testing/db";

let db: PGliteDb;
beforeAll(async () => {
  db = await testDb();
});
afterAll(() => db.close());

let runs: string[] = [];
const greet = defineJob({
  kind: "test.greet",
  payload: z.object({ name: z.string().min(1) }),
  key: (p) => `greet:${p.name}`,
  maxAttempts: 3,
  leaseSeconds: 2,
  run: async ({ name }) => {
    runs.push(name);
    // Longer than the lease: only the drain's heartbeat keeps another drainer off it.
    await new Promise((r) => setTimeout(r, 2_600));
  },
});

describe("defineJob", () => {
  it("enqueues with the key, attempts and lease of the definition, and refuses a bad payload at the call site", async () => {
    await enqueue(db, greet, { name: "awa" });
    expect(await getJob(db, "greet:awa")).toMatchObject({
      kind: "test.greet",
      maxAttempts: 3,
      leaseSeconds: 2,
    });
    expect(() => enqueue(db, greet, { name: "" })).toThrow();
    const [job] = await claimJobs(db, { limit: 1, leaseSeconds: 600, kinds: ["test.greet"] });
    const lease = job!.leasedUntil!.getTime() - Date.now();
    expect(lease).toBeGreaterThan(0);
    expect(lease).toBeLessThanOrEqual(2_000);
    await completeJob(db, job!);
  });

  it("heartbeats a run longer than its lease, so a second drainer never runs it too", async () => {
    runs = [];
    await enqueue(db, greet, { name: "koffi" });
    const registry = { "test.greet": handlerOf(greet) };
    const first = drainJobs(db, registry, { kinds: ["test.greet"], budgetMs: 100 });
    await new Promise((r) => setTimeout(r, 2_300));
    const second = await drainJobs(db, registry, { kinds: ["test.greet"], budgetMs: 100 });
    expect((await first).done).toBe(1);
    expect(second.claimed).toBe(0);
    expect(runs).toEqual(["koffi"]);
  });

  it("a stored payload that no longer parses goes dead at once instead of retrying", async () => {
    await enqueueJob(db, { kind: "test.greet", key: "greet:broken", payload: { name: 42 }, maxAttempts: 3 });
    const report = await drainJobs(db, { "test.greet": handlerOf(greet) }, { kinds: ["test.greet"] });
    expect(report.dead).toBe(1);
    expect(await getJob(db, "greet:broken")).toMatchObject({ status: "dead", attempts: 1 });
  });
});
