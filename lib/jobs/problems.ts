import { z } from "zod";
import { call, type Db, isoDate } from "@/lib/db/port";
import { badRequest } from "@/lib/errors/app-error";

/**
 * Why a job went dead, as a key of the web catalogue (`problems.reason.<code>`), read from the row
 * and never shown as its error text (which may quote a vendor's answer):
 * - unknown_kind: no code runs this kind (a deployment removed it);
 * - interrupted: the process running its last attempt died;
 * - invalid_payload: its stored payload no longer has the shape its kind declares;
 * - refused: a failure retrying cannot fix (access revoked, data refused);
 * - retries: every attempt failed for a reason that looked temporary.
 */
export type ProblemReason = "unknown_kind" | "interrupted" | "invalid_payload" | "refused" | "retries";

export function problemReason(job: {
  lastError: string | null;
  attempts: number;
  maxAttempts: number;
}): ProblemReason {
  const error = job.lastError ?? "";
  if (error.startsWith("no handler for job kind")) return "unknown_kind";
  if (error.endsWith("lease expired on the final attempt")) return "interrupted";
  if (/^PermanentFailure: invalid [a-z]+\.[a-z_]+ payload/.test(error)) return "invalid_payload";
  return job.attempts >= job.maxAttempts ? "retries" : "refused";
}

const rowSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  failedAt: isoDate,
  message: z
    .object({
      id: z.string(),
      status: z.string(),
      reason: z.string().nullable(),
      subject: z.string().nullable(),
      fromAddress: z.string().nullable(),
    })
    .nullable(),
});

/** One dead job as the panel shows it: no error text, a reason key instead. */
export type Problem = Omit<z.infer<typeof rowSchema>, "lastError"> & { reason: ProblemReason };

/** The organization's dead jobs, newest first (at most 200). */
export async function listProblems(db: Db, organizationId: string, limit = 50): Promise<Problem[]> {
  const rows = await call(
    db,
    "job_problems",
    { p_organization_id: organizationId, p_limit: limit },
    z.array(rowSchema),
  );
  return rows.map(({ lastError, ...row }) => ({ ...row, reason: problemReason({ ...row, lastError }) }));
}

/** How many dead jobs the organization has: the navigation's badge. */
export async function countProblems(db: Db, organizationId: string): Promise<number> {
  const r = await call(
    db,
    "job_problem_count",
    { p_organization_id: organizationId },
    z.object({ dead: z.number() }),
  );
  return r.dead;
}

const jobId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * "Réessayer": the dead job back in the queue (and its failed email pending again), checked in SQL
 * to belong to the organization. A malformed id is a 400, another organization's job a 404;
 * false when it was no longer dead (retried already).
 */
export async function retryProblem(db: Db, organizationId: string, id: unknown): Promise<boolean> {
  const parsed = jobId.safeParse(typeof id === "string" || typeof id === "number" ? id : undefined);
  if (!parsed.success) throw badRequest("Not a job id.");
  const r = await call(
    db,
    "job_retry",
    { p_id: parsed.data, p_organization_id: organizationId },
    z.object({ ok: z.boolean(), status: z.string() }),
  );
  return r.ok;
}
