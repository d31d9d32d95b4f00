// GET /api/cron/poll — Vercel Cron, every 5 minutes: a sync for every active mailbox whose push is
// missing or silent (others at least hourly), coalesced with pending push syncs, so that without
// push the worst case is 5 minutes (lib/jobs/mailbox-poll.ts, through lib/jobs/cron-tasks.ts).
import { db } from "@/lib/db/client";
import { drainAfterResponse } from "@/lib/http/after-response";
import { json, withCron } from "@/lib/http/route";
import { cronTasks } from "@/lib/jobs/cron-tasks";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

export const GET = withCron("poll", async (_req, { log }) => {
  const report = await cronTasks["/api/cron/poll"](await db(), log);
  drainAfterResponse(45_000);
  return json({ ok: true, ...report });
});
