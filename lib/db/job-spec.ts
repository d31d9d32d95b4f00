/**
 * A job ready to store, as job_enqueue_spec takes it: what SQL functions that enqueue in their own
 * transaction receive from the app (built from the kind's definition by lib/jobs/define.ts), so
 * that SQL never spells a job kind or key.
 */
export type JobSpec = {
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  maxAttempts: number;
  repeatable: boolean;
  leaseSeconds: number;
  /** 1: claimed before every normal (0) job — see job_claim_due. */
  priority?: 0 | 1;
  runAt?: string;
};
