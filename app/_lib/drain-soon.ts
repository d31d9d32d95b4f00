import { after } from "next/server";
import { drainInBackground } from "@/lib/jobs/background-drain";

/**
 * After the response is sent, runs the jobs an action just queued (sync, analysis, alerts), so the
 * page the user is looking at updates within seconds instead of at the next cron minute.
 */
export function drainSoon(budgetMs = 15_000): void {
  // The instance's one background drain, joined when running (it logs its own failures).
  after(() => drainInBackground(budgetMs));
}
