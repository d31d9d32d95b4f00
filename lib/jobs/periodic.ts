import { z } from "zod";
import { scheduleDigests, scheduleEscalations } from "@/lib/db/alerts";
import { call, type Db } from "@/lib/db/port";

/**
 * Work the every-minute cron schedules before draining: housekeeping, escalations of critical
 * alerts left unread, and the daily digests whose hour has come. Each step is idempotent (job keys,
 * one alert per message, recipient and kind), so overlapping cron runs cannot double anything.
 */
export async function runPeriodicWork(db: Db): Promise<Record<string, number>> {
  const pruned = await call(db, "job_prune", { p_older_than_hours: 168 }, z.object({ deleted: z.number() }));
  const { escalations } = await scheduleEscalations(db);
  const { digests } = await scheduleDigests(db);
  return { pruned: pruned.deleted, escalations, digests };
}
