import { ZodError, type z } from "zod";
import type { JobSpec } from "@/lib/db/job-spec";
import type { Db } from "@/lib/db/port";
import type { QuotaCharges } from "@/lib/jobs/mailbox-quota";
import { type Deferral, PermanentFailure } from "@/lib/jobs/outcome";
import type { Job } from "@/lib/jobs/queue";
import type { Logger } from "@/lib/log";

export type JobContext = { db: Db; log: Logger; now: () => Date };
/**
 * What a job's `run` receives besides its parsed payload: the row itself (attempts, key), and
 * `owed`, where provider quota units spent go to be charged with the job's end (withMailbox).
 */
export type RunContext = JobContext & { job: Job; owed?: QuotaCharges };
// biome-ignore lint/suspicious/noConfusingVoidType: runs that just finish return nothing.
export type JobOutcome = void | Deferral;
/** What the drain calls: a raw row in, done / deferred / thrown out. */
export type JobHandler = (job: Job, ctx: JobContext & { owed?: QuotaCharges }) => Promise<JobOutcome>;

/**
 * One job kind, declared once: its payload schema, idempotency key, retry budget, whether new work
 * re-opens a finished row (sync-like kinds), its lease, and the code that runs it. The registry,
 * the typed `enqueue()` and the specs SQL functions receive are all derived from this.
 */
export type JobDefinition<K extends string = string, S extends z.ZodType = z.ZodType> = {
  readonly kind: K;
  readonly payload: S;
  /** The idempotency key: one row per key, ever (see job_enqueue). */
  key(payload: z.output<S>): string;
  readonly maxAttempts: number;
  /** Re-armed while running and re-opened once done, instead of being ignored. */
  readonly repeatable: boolean;
  /**
   * Lease length. The drain heartbeats a running job every third of it, so it bounds how long a
   * crashed drainer's job waits before another takes it over, not how long a run may take.
   */
  readonly leaseSeconds: number;
  /**
   * Claimed before every other due job (job_claim's urgent tier): the sends a person is waiting
   * for, so a backlog of syncs never holds an alert back.
   */
  readonly urgent: boolean;
  run(payload: z.output<S>, ctx: RunContext): Promise<JobOutcome>;
};

type DefinitionInput<K extends string, S extends z.ZodType> = Omit<
  JobDefinition<K, S>,
  "repeatable" | "urgent"
> & {
  repeatable?: boolean;
  urgent?: boolean;
};

const KIND = /^[a-z]+\.[a-z_]+$/;

export function defineJob<K extends string, S extends z.ZodType>(
  input: DefinitionInput<K, S>,
): JobDefinition<K, S> {
  if (!KIND.test(input.kind)) throw new Error(`job kind ${input.kind} must look like "noun.verb"`);
  return { ...input, repeatable: input.repeatable ?? false, urgent: input.urgent ?? false };
}

/**
 * The stored form of one job of this kind. The payload is validated here, at the enqueue site, so
 * a bad payload fails where it was built rather than as a dead job later; dates become ISO strings.
 */
export function jobSpec<S extends z.ZodType>(
  def: JobDefinition<string, S>,
  payload: z.input<S>,
  opts: { runAt?: Date | null; reopen?: boolean } = {},
): JobSpec {
  const parsed = def.payload.parse(payload);
  return {
    kind: def.kind,
    key: def.key(parsed),
    payload: JSON.parse(JSON.stringify(parsed)) as Record<string, unknown>,
    maxAttempts: def.maxAttempts,
    // Re-opening a finished row (a send Meta failed after accepting it) is said by the caller.
    repeatable: def.repeatable || opts.reopen === true,
    leaseSeconds: def.leaseSeconds,
    priority: def.urgent ? 1 : 0,
    ...(opts.runAt ? { runAt: opts.runAt.toISOString() } : {}),
  };
}

/** The drain's view of a definition: parse the stored payload (a payload that no longer parses never will), run. */
export function handlerOf(def: JobDefinition): JobHandler {
  return async (job, ctx) => {
    let payload: unknown;
    try {
      payload = def.payload.parse(job.payload);
    } catch (error) {
      if (error instanceof ZodError)
        throw new PermanentFailure(`invalid ${def.kind} payload: ${error.message}`);
      throw error;
    }
    return def.run(payload, { ...ctx, job });
  };
}
