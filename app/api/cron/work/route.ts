// GET /api/cron/work — Vercel Cron, every minute: drains due jobs (sync, analysis, alerts,
// escalations, digests) within the function's time budget.
import { db } from "@/lib/db/client";
import { json, withCron } from "@/lib/http/route";
import { drainConfigured } from "@/lib/jobs/background-drain";
import { cronTasks } from "@/lib/jobs/cron-tasks";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

export const GET = withCron("work", async (_req, { log }) => {
  const scheduled = await cronTasks["/api/cron/work"](await db(), log);
  const report = await drainConfigured(45_000, log);
  return json({ ok: true, scheduled, ...report });
});
