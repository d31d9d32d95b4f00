// GET /api/cron/renew — Vercel Cron, daily: renews Gmail watches (7-day expiry) and Graph
// subscriptions (under 7 days), recreating lost ones and catching up on what they missed.
import { db } from "@/lib/db/client";
import { drainAfterResponse } from "@/lib/http/after-response";
import { json, withCron } from "@/lib/http/route";
import { cronTasks } from "@/lib/jobs/cron-tasks";

export const dynamic = "force-dynamic";
export const maxDuration = 120;

export const GET = withCron("renew", async (_req, { log }) => {
  const report = await cronTasks["/api/cron/renew"](await db(), log);
  drainAfterResponse(45_000);
  return json({ ok: report.failed === 0, ...report });
});
