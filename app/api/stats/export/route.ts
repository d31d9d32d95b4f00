// GET /api/stats/export?days=7|30|90 — the signed-in organization's daily stats as CSV (the stats
// page's "Exporter en CSV"): figures only, never a subject, sender or body.
import { statsCsv } from "@/app/_lib/stats-summary";
import { db } from "@/lib/db/client";
import { getDailyStats, STATS_PERIODS, type StatsPeriod } from "@/lib/db/stats";
import { json, withRoute } from "@/lib/http/route";
import { sessionFromRequest } from "@/lib/http/session";

export const dynamic = "force-dynamic";

export const GET = withRoute("stats:export", async (req) => {
  const user = await sessionFromRequest(req);
  if (!user) return json({ error: "unauthorized" }, { status: 401 });
  const asked = Number(new URL(req.url).searchParams.get("days") ?? 30);
  const days = STATS_PERIODS.find((d) => d === asked);
  if (!days) return json({ error: "bad_request", message: "days must be 7, 30 or 90." }, { status: 400 });
  const stats = await getDailyStats(await db(), user.organizationId, days satisfies StatsPeriod);
  return new Response(statsCsv(stats), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="fluxasync-stats-${days}d.csv"`,
      "cache-control": "no-store",
    },
  });
});
