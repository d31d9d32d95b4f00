import { after } from "next/server";
import { db } from "@/lib/db/client";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
import { log } from "@/lib/log";

/**
 * After the response is sent, runs the jobs an action just queued (sync, analysis, alerts), so the
 * page the user is looking at updates within seconds instead of at the next cron minute.
 */
export function drainSoon(budgetMs = 15_000): void {
  after(async () => {
    try {
      await drainJobs(await db(), jobRegistry(), { budgetMs });
    } catch (error) {
      log.warn("drain.after_action", { error });
    }
  });
}
