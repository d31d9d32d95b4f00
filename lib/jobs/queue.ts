import { z } from "zod";
import type { JobSpec } from "@/lib/db/job-spec";
import { call, type Db, isoDate, nullableIsoDate } from "@/lib/db/port";
import type { QuotaCharges } from "@/lib/jobs/mailbox-quota";

export const jobSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  key: z.string(),
  payload: z.record(z.string(), z.unknown()),
  status: z.enum(["pending", "running", "done", "dead"]),
  runAt: isoDate,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  leaseSeconds: z.number().int().nullable().optional(),
  leasedUntil: nullableIsoDate,
  leaseToken: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  completedAt: nullableIsoDate,
});
export type Job = z.infer<typeof jobSchema>;

/** The raw enqueue. Application code enqueues through a definition: `enqueue()` in lib/jobs/enqueue.ts. */
export type EnqueueParams = {
  kind: string;
  key: string;
  payload?: Record<string, unknown>;
  runAt?: Date | string;
  maxAttempts?: number;
  /** Sync-like jobs: re-armed while running and re-opened once done, instead of being ignored. */
  repeatable?: boolean;
  leaseSeconds?: number;
  /** 1: claimed before every normal (0) job. */
  priority?: 0 | 1;
  /** The push this sync answers: recorded on that mailbox in the same call (the poll reads it). */
  pushMailboxId?: string;
};

const enqueueResult = z.object({
  id: z.number().int(),
  created: z.boolean(),
  status: z.string(),
  rearmed: z.boolean().optional(),
});

export function enqueueJob(db: Db, p: EnqueueParams) {
  return call(
    db,
    "job_enqueue",
    {
      p_kind: p.kind,
      p_key: p.key,
      p_payload: p.payload ?? {},
      p_run_at: p.runAt,
      p_max_attempts: p.maxAttempts,
      p_repeatable: p.repeatable ?? false,
      p_lease_seconds: p.leaseSeconds,
      p_priority: p.priority ?? 0,
      ...(p.pushMailboxId ? { p_push_mailbox_id: p.pushMailboxId } : {}),
    },
    enqueueResult,
  );
}

/**
 * Enqueues many jobs in one round trip (each as job_enqueue_spec would); with `markPolled`, the
 * mailboxes their payloads name are recorded as polled (the fallback poll's syncs).
 */
export function enqueueJobs(db: Db, jobs: JobSpec[], opts: { markPolled?: boolean } = {}) {
  return call(
    db,
    "job_enqueue_batch",
    { p_jobs: jobs, p_mark_polled: opts.markPolled ?? false },
    z.object({ enqueued: z.number().int() }),
  );
}

// Result schemas are built once: zod compiles an object schema on its first parse, so a schema made
// per call is compiled again on every call (about a fifth of the bench's zod time).
const claimedSchema = z.array(jobSchema);
const completeResultSchema = z.object({
  ok: z.boolean(),
  status: z.string().nullable(),
  claimed: claimedSchema,
});
const failResultSchema = z.object({
  ok: z.boolean(),
  status: z.string().nullable(),
  runAt: nullableIsoDate,
  attempts: z.number().nullable(),
});

export function claimJobs(db: Db, p: { limit: number; leaseSeconds: number; kinds?: string[] }) {
  return call(
    db,
    "job_claim",
    { p_limit: p.limit, p_lease_seconds: p.leaseSeconds, p_kinds: p.kinds ?? null },
    claimedSchema,
  );
}

const okSchema = z.object({ ok: z.boolean() }).passthrough();

/**
 * Completes a claimed job; with `claimNext`, also claims the next due jobs in the same call (the
 * drain's hand-over: one round trip per job on a busy queue), and charges the provider quota units
 * the job spent (`charges`) in the same round trip.
 */
export function completeJob(
  db: Db,
  job: Pick<Job, "id" | "leaseToken">,
  claimNext?: { limit: number; leaseSeconds: number; kinds?: string[] },
  charges: QuotaCharges = [],
) {
  return call(
    db,
    "job_complete",
    {
      p_id: job.id,
      p_lease_token: job.leaseToken,
      p_claim_limit: claimNext?.limit ?? 0,
      p_kinds: claimNext?.kinds ?? null,
      p_lease_seconds: claimNext?.leaseSeconds ?? 60,
      p_charges: charges.length > 0 ? charges : null,
    },
    completeResultSchema,
  );
}

/** Extends a running job's lease (the drain's heartbeat); false once the lease was lost. */
export function heartbeatJob(db: Db, job: Pick<Job, "id" | "leaseToken">, leaseSeconds: number) {
  return call(
    db,
    "job_heartbeat",
    { p_id: job.id, p_lease_token: job.leaseToken, p_lease_seconds: leaseSeconds },
    okSchema,
  );
}

export function failJob(
  db: Db,
  job: Pick<Job, "id" | "leaseToken">,
  p: { error: string; retryInSeconds?: number | null; permanent?: boolean },
) {
  return call(
    db,
    "job_fail",
    {
      p_id: job.id,
      p_lease_token: job.leaseToken,
      p_error: p.error,
      p_retry_in_seconds: p.retryInSeconds ?? null,
      p_permanent: p.permanent ?? false,
    },
    failResultSchema,
  );
}

export function deferJob(db: Db, job: Pick<Job, "id" | "leaseToken">, runAt: Date, note?: string) {
  return call(
    db,
    "job_defer",
    { p_id: job.id, p_lease_token: job.leaseToken, p_run_at: runAt, p_note: note },
    okSchema,
  );
}

export function getJob(db: Db, key: string) {
  return call(db, "job_get", { p_key: key }, jobSchema.nullable());
}

export function listJobs(db: Db, p: { status?: Job["status"]; limit?: number } = {}) {
  return call(db, "job_list", { p_status: p.status ?? null, p_limit: p.limit ?? 50 }, z.array(jobSchema));
}

export function jobCounts(db: Db) {
  return call(
    db,
    "job_counts",
    {},
    z.object({
      pending: z.number(),
      due: z.number(),
      running: z.number(),
      done: z.number(),
      dead: z.number(),
      nextRunAt: nullableIsoDate,
    }),
  );
}
