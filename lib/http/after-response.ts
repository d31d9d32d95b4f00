import { after } from "next/server";
import { env } from "@/lib/env";
import { drainInBackground } from "@/lib/jobs/background-drain";
import { log } from "@/lib/log";

/**
 * Runs work after the response is sent (Next's `after`, which Vercel keeps the function alive for).
 * Outside a request scope (tests calling handlers directly) nothing runs: tests drain explicitly,
 * so what they assert never races a background drain.
 */
export function afterResponse(task: () => Promise<unknown>): void {
  try {
    after(() => task().catch((error: unknown) => log.error("after.failed", { error })));
  } catch (error) {
    if (env.NODE_ENV !== "test") log.warn("after.unavailable", { error });
  }
}

/**
 * Webhooks persist what they received, answer, then drain the queue with what is left of the
 * function; server actions do the same with the jobs they just queued (sync, analysis, alerts), so
 * the page updates within seconds instead of at the next cron minute. Both go through the
 * instance's one background drain (lib/jobs/background-drain.ts), joined when it is running.
 */
export function drainAfterResponse(budgetMs = 20_000): void {
  afterResponse(() => drainInBackground(budgetMs));
}
