// GET /api/cron/work — Vercel Cron, every minute: drains due jobs (sync, analysis, alerts,
// escalations, digests) within the function's time budget.
import { db } from "@/lib/db/client";
import { json, withCron } from "@/lib/http/route";
import { cronTasks } from "@/lib/jobs/cron-tasks";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

export const GET = withCron("work", async (_req, { log }) => {
  const database = await db();
  const scheduled = await cronTasks["/api/cron/work"](database, log);
  const report = await drainJobs(database, jobRegistry(), { budgetMs: 45_000, log });
  return json({ ok: true, scheduled, ...report });
});
