import { isSameOrigin } from "@/app/_lib/same-origin";
import { db } from "@/lib/db/client";
import { isLoopbackRequest } from "@/lib/http/loopback";
import { json } from "@/lib/http/route";
import { sessionFromRequest } from "@/lib/http/session";
import { drainJobs } from "@/lib/jobs/drain";
import { runDueCrons } from "@/lib/jobs/local-cron";
import { jobRegistry } from "@/lib/jobs/registry";
import type { Logger } from "@/lib/log";

/**
 * POST /api/local/drain's handler, given whether local mode is on (tests run outside it): from this
 * machine and a signed-in browser only, it runs the crons of vercel.json that are due, then the
 * due jobs for a moment.
 */
export function localDrain(localMode: boolean) {
  return async (req: Request, { log }: { log: Logger }) => {
    if (!localMode) return new Response("Not found", { status: 404 });
    if (!isSameOrigin(req) || !isLoopbackRequest(req)) return new Response("Forbidden", { status: 403 });
    if (!(await sessionFromRequest(req))) return json({ error: "unauthorized" }, { status: 401 });
    const database = await db();
    const crons = await runDueCrons(database, log);
    const report = await drainJobs(database, jobRegistry(), { budgetMs: 3_000, log });
    return json({ crons, ...report });
  };
}
