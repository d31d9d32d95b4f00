// POST /api/local/drain — local mode only: the dashboard's live refresh runs due jobs (sync,
// analysis, alerts) briefly, standing in for the every-minute cron a deployment has.
import { isSameOrigin } from "@/app/_lib/same-origin";
import { db } from "@/lib/db/client";
import { isLocalMode } from "@/lib/env";
import { json, withRoute } from "@/lib/http/route";
import { sessionFromRequest } from "@/lib/http/session";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";

export const dynamic = "force-dynamic";

export const POST = withRoute("local:drain", async (req, { log }) => {
  if (!isLocalMode) return new Response("Not found", { status: 404 });
  if (!isSameOrigin(req)) return new Response("Forbidden", { status: 403 });
  if (!(await sessionFromRequest(req))) return json({ error: "unauthorized" }, { status: 401 });
  const report = await drainJobs(await db(), jobRegistry(), { budgetMs: 3_000, log });
  return json(report);
});
