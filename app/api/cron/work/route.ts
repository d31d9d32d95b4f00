// GET /api/cron/work — Vercel Cron, every minute: drains due jobs (sync, analysis, alerts,
// escalations, digests) within the function's time budget.
import { db } from "@/lib/db/client";
import { json, withCron } from "@/lib/http/route";
import { drainConfigured } from "@/lib/jobs/background-drain";
import { runPeriodicWork } from "@/lib/jobs/periodic";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

export const GET = withCron("work", async (_req, { log }) => {
  const database = await db();
  const scheduled = await runPeriodicWork(database);
  const report = await drainConfigured(45_000, log);
  return json({ ok: true, scheduled, ...report });
});
