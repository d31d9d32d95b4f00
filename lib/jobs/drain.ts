import { spendMailboxQuota } from "@/lib/db/mailbox-sync-state";
import type { Db } from "@/lib/db/port";
import type { JobContext, JobHandler } from "@/lib/jobs/define";
import type { QuotaCharges } from "@/lib/jobs/mailbox-quota";
import { PermanentFailure, RetryLater } from "@/lib/jobs/outcome";
import { claimJobs, completeJob, deferJob, failJob, heartbeatJob, type Job } from "@/lib/jobs/queue";
import { type Logger, log as rootLog } from "@/lib/log";

export type JobRegistry = Record<string, JobHandler>;

export type DrainOptions = {
  /** Stop claiming new jobs after this long; running ones are awaited. */
  budgetMs?: number;
  concurrency?: number;
  /** The lease of rows enqueued without their kind's (tests' ad-hoc kinds); running jobs are heartbeated. */
  leaseSeconds?: number;
  kinds?: string[];
  now?: () => Date;
  log?: Logger;
};

export type DrainReport = { claimed: number; done: number; failed: number; deferred: number; dead: number };

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 2000);
  return String(error).slice(0, 2000);
}

/**
 * Keeps a running job's lease alive every third of its length, so leases stay short (a crashed
 * drainer's jobs are taken over within one lease) without a long run being taken over while alive.
 */
function keepLeased(db: Db, job: Job, leaseSeconds: number, log: Logger): () => void {
  // Always well inside the lease: a floor of a second would let a 1-second lease lapse between beats.
  const every = Math.max(100, ((job.leaseSeconds ?? leaseSeconds) * 1000) / 3);
  const timer = setInterval(() => {
    heartbeatJob(db, job, leaseSeconds)
      .then((r) => {
        if (!r.ok) log.warn("job.lease_lost");
      })
      .catch((error: unknown) => log.warn("job.heartbeat_failed", { error: describe(error) }));
  }, every);
  timer.unref?.();
  return () => clearInterval(timer);
}

type Claim = { limit: number; leaseSeconds: number; kinds?: string[] };

/** Quota a job that did not complete spent all the same (Gmail counts refused calls too), charged once. */
async function chargeNow(db: Db, owed: QuotaCharges, log: Logger) {
  for (const c of owed.splice(0)) {
    await spendMailboxQuota(db, c.mailboxId, c.units, c.windowSeconds).catch((error: unknown) =>
      log.warn("job.charge_failed", { error: describe(error) }),
    );
  }
}

/** Runs one job and records its outcome; a completion also claims the jobs `next` asks for then. */
async function runOne(
  job: Job,
  handler: JobHandler | undefined,
  ctx: JobContext,
  leaseSeconds: number,
  report: DrainReport,
  next: () => Claim | null,
): Promise<Job[]> {
  const log = ctx.log.child({ jobId: job.id, kind: job.kind, attempt: job.attempts });
  if (!handler) {
    await failJob(ctx.db, job, { error: `no handler for job kind ${job.kind}`, permanent: true });
    report.dead++;
    return [];
  }
  const stop = keepLeased(ctx.db, job, leaseSeconds, log);
  // Provider quota the job spends: charged by the round trip that completes it.
  const owed: QuotaCharges = [];
  try {
    const outcome = await handler(job, { ...ctx, log, owed });
    stop();
    if (outcome && "deferUntil" in outcome) {
      await deferJob(ctx.db, job, outcome.deferUntil, outcome.note);
      await chargeNow(ctx.db, owed, log);
      report.deferred++;
      return [];
    }
    const completed = await completeJob(ctx.db, job, next() ?? undefined, owed);
    report.done++;
    return completed.claimed;
  } catch (error) {
    stop();
    await chargeNow(ctx.db, owed, log);
    const result = await failJob(ctx.db, job, {
      error: describe(error),
      retryInSeconds: error instanceof RetryLater ? error.seconds : null,
      permanent: error instanceof PermanentFailure,
    });
    if (result.status === "dead") report.dead++;
    else report.failed++;
    log.warn("job.failed", { error: describe(error), status: result.status, nextRunAt: result.runAt });
    return [];
  }
}

/**
 * Drains due jobs within a time budget with bounded concurrency. Any process can run it at any
 * time (cron, after a webhook answered, a CLI): leases and `skip locked` keep drainers apart, and a
 * drainer that dies leaves jobs whose (short, heartbeated) lease expires and which the next drainer
 * picks up.
 */
export async function drainJobs(
  db: Db,
  registry: JobRegistry,
  opts: DrainOptions = {},
): Promise<DrainReport> {
  const budgetMs = opts.budgetMs ?? 20_000;
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const leaseSeconds = opts.leaseSeconds ?? 120;
  const deadline = Date.now() + budgetMs;
  const ctx: JobContext = { db, log: opts.log ?? rootLog, now: opts.now ?? (() => new Date()) };
  const report: DrainReport = { claimed: 0, done: 0, failed: 0, deferred: 0, dead: 0 };
  const inflight = new Set<Promise<void>>();

  const claim = (limit: number): Claim => ({ limit, leaseSeconds, kinds: opts.kinds });
  /** Free slots promised to a completion's claim that is still on its way. */
  let reserved = 0;
  const start = (job: Job) => {
    const p: Promise<void> = slot(job).finally(() => inflight.delete(p));
    inflight.add(p);
  };
  /**
   * One concurrency slot: a job, then whatever its completion handed over, until the budget is
   * spent. The completion claims this slot's next job and one for each free slot, which start at
   * once: work that arrives while every running slot is busy chaining (a stream of pushes) fills
   * the free slots in the same round trip. Claiming only the slot's own next job kept a drain that
   * started on a quiet queue at that many slots for as long as the stream lasted (the bench's
   * realistic run: 2 jobs in flight of 16).
   */
  const slot = async (first: Job) => {
    let job: Job | undefined = first;
    while (job) {
      // Counted when the job completes, when every slot started meanwhile is in `inflight`.
      let free = 0;
      const next = (): Claim | null => {
        if (Date.now() >= deadline) return null;
        free = Math.max(0, concurrency - inflight.size - reserved);
        reserved += free;
        return claim(1 + free);
      };
      let handedOver: Job[];
      try {
        handedOver = await runOne(job, registry[job.kind], ctx, leaseSeconds, report, next);
      } finally {
        reserved -= free;
      }
      report.claimed += handedOver.length;
      [job] = handedOver;
      for (const extra of handedOver.slice(1)) start(extra);
    }
  };

  while (Date.now() < deadline) {
    const room = concurrency - inflight.size - reserved;
    if (room <= 0) {
      await Promise.race(inflight);
      continue;
    }
    const jobs = await claimJobs(db, claim(room));
    report.claimed += jobs.length;
    for (const job of jobs) start(job);
    if (jobs.length === 0) {
      // Nothing due: wait for running jobs (they may enqueue follow-ups), or stop when idle.
      if (inflight.size === 0) break;
      await Promise.race(inflight);
    }
  }
  await Promise.all(inflight);
  return report;
}
