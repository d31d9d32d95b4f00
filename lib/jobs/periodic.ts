import { z } from "zod";
import { call, type Db } from "@/lib/db/port";

/**
 * Work the every-minute cron schedules before draining: housekeeping now; escalations and digests
 * are enqueued here by the WhatsApp pipeline. Each step is idempotent (job keys), so overlapping
 * cron runs cannot double anything.
 */
export async function runPeriodicWork(db: Db): Promise<Record<string, number>> {
  const pruned = await call(db, "job_prune", { p_older_than_hours: 168 }, z.object({ deleted: z.number() }));
  return { pruned: pruned.deleted };
}
