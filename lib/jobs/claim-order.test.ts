import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PGliteDb } from "@/lib/db/pglite";
import { alertSendJob } from "@/lib/jobs/alert-send";
import { jobSpec } from "@/lib/jobs/define";
import { mailboxSyncJob } from "@/lib/jobs/mailbox-sync";
import { claimJobs, completeJob, enqueueJob } from "@/lib/jobs/queue";
import { testDb } from "@/lib/testing/db";

let db: PGliteDb;
beforeAll(async () => {
  db = await testDb();
});
afterAll(() => db.close());

const ALERT = "00000000-0000-4000-8000-00000000a1e7";

describe("claim order (job_claim_due)", () => {
  it("claims an urgent alert before older syncs, then the syncs oldest first, never a future job", async () => {
    for (const [i, id] of ["m1", "m2", "m3"].entries()) {
      await enqueueJob(db, {
        ...jobSpec(mailboxSyncJob, {
          mailboxId: `00000000-0000-4000-8000-00000000000${i}`,
          historyHint: null,
          reason: "push",
        }),
        key: `sync:${id}`,
        runAt: new Date(Date.now() - (10 - i) * 60_000),
      });
    }
    await enqueueJob(db, {
      kind: "mailbox.sync",
      key: "sync:later",
      runAt: new Date(Date.now() + 3_600_000),
    });
    const alert = jobSpec(alertSendJob, { alertId: ALERT });
    expect(alert.priority).toBe(1);
    await enqueueJob(db, alert);

    const first = await claimJobs(db, { limit: 1, leaseSeconds: 60 });
    expect(first.map((j) => j.key)).toEqual([`alert:${ALERT}`]);
    const rest = await claimJobs(db, { limit: 10, leaseSeconds: 60 });
    expect(rest.map((j) => j.key)).toEqual(["sync:m1", "sync:m2", "sync:m3"]);
    // The hand-over claim of job_complete takes the same path: nothing else is due.
    const done = await completeJob(db, first[0]!, { limit: 4, leaseSeconds: 60 });
    expect(done).toMatchObject({ ok: true, claimed: [] });
  });

  it("takes over a dead drainer's job (lease over) before any due job", async () => {
    await db.pg.query("update jobs set status = 'done' where status in ('pending', 'running')");
    await enqueueJob(db, { ...jobSpec(alertSendJob, { alertId: ALERT.replace("a1e7", "a1e8") }) });
    await enqueueJob(db, { kind: "mailbox.sync", key: "sync:crashed" });
    const [crashed] = await claimJobs(db, { limit: 1, leaseSeconds: 60 });
    expect(crashed?.key).toBe(`alert:${ALERT.replace("a1e7", "a1e8")}`);
    await db.pg.query("update jobs set leased_until = now() - interval '1 second' where id = $1", [
      crashed!.id,
    ]);
    const next = await claimJobs(db, { limit: 2, leaseSeconds: 60 });
    expect(next.map((j) => [j.key, j.attempts])).toEqual([
      [`alert:${ALERT.replace("a1e7", "a1e8")}`, 2],
      ["sync:crashed", 1],
    ]);
  });
});
