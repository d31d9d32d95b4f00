import { claimJobs } from "@/lib/jobs/queue";
import { scratchDb } from "./scratch-db";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

/**
 * The drain's claim (`job_claim`, 4 jobs) with 0, 100, 20,000 and 200,000 due jobs waiting, median of 30 claims each after 5 to warm up, on the database of `DATABASE_URL` when
 * given (a scratch database) or PGlite. The due jobs are spread over the last hour; 10 % are
 * scheduled in the future (retries waiting out their backoff) and are not due.
 */
export async function measureJobClaim(): Promise<Record<string, number | string>> {
  const scratch = await scratchDb("claim");
  const out: Record<string, number | string> = { job_claim_database: scratch.kind };
  let inserted = 0;
  try {
    for (const [name, due] of [
      ["empty", 0],
      ["100", 100],
      ["20k", 20_000],
      ["200k", 200_000],
    ] as const) {
      if (due > inserted) {
        const future = Math.round((due - inserted) / 9);
        await scratch.exec(`
          insert into jobs (kind, key, payload, run_at)
          select 'mailbox.sync', 'bench-claim:' || g, '{}'::jsonb, now() - (random() * interval '1 hour')
            from generate_series(${inserted + 1}, ${due}) g;
          insert into jobs (kind, key, payload, run_at)
          select 'alert.send', 'bench-claim-later:' || g, '{}'::jsonb, now() + (random() * interval '1 hour')
            from generate_series(${inserted + 1}, ${inserted + future}) g;
          analyze jobs;`);
        inserted = due;
      }
      const times: number[] = [];
      for (let i = 0; i < 35; i++) {
        const t0 = performance.now();
        await claimJobs(scratch.db, { limit: 4, leaseSeconds: 60 });
        if (i >= 5) times.push(performance.now() - t0);
      }
      // Claimed rows go back to the queue, so every level measures the count it says.
      await scratch.exec(
        "update jobs set status = 'pending', lease_token = null, leased_until = null, attempts = 0 where status = 'running'",
      );
      out[`job_claim_ms_${name}`] = Number(median(times).toFixed(2));
    }
  } finally {
    await scratch.drop();
  }
  return out;
}
