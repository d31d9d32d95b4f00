import type { z } from "zod";
import type { Db } from "@/lib/db/port";
import { type JobDefinition, jobSpec } from "@/lib/jobs/define";
import { enqueueJob } from "@/lib/jobs/queue";

/**
 * Enqueues one job of a declared kind: payload checked against its schema, key, attempts,
 * repeatability and lease taken from the definition — never spelled at the call site.
 */
export function enqueue<S extends z.ZodType>(
  db: Db,
  def: JobDefinition<string, S>,
  payload: z.input<S>,
  opts: { runAt?: Date | null; pushMailboxId?: string } = {},
) {
  const spec = jobSpec(def, payload, opts);
  return enqueueJob(db, opts.pushMailboxId ? { ...spec, pushMailboxId: opts.pushMailboxId } : spec);
}
