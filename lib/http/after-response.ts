import { after } from "next/server";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
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
 * the page updates within seconds instead of at the next cron minute.
 */
export function drainAfterResponse(budgetMs = 20_000): void {
  afterResponse(async () => drainJobs(await db(), jobRegistry(), { budgetMs }));
}
