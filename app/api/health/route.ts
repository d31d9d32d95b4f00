// GET /api/health — uptime checks and the README's first-run check: version, database, transport,
// how many webhook bodies were acknowledged unread and how many emails failed their analysis over
// the last day (counts only).
import { db } from "@/lib/db/client";
import { failedMessageCount } from "@/lib/db/messages";
import { webhookRejectionCounts } from "@/lib/db/webhook-rejections";
import { json, withRoute } from "@/lib/http/route";
import { version } from "@/lib/version";

export const dynamic = "force-dynamic";

export const GET = withRoute("health", async (_req, { log }) => {
  let transport: string | null = null;
  try {
    const database = await db();
    transport = database.transport;
    await database.rpc("health_check");
    // Webhook bodies acknowledged without being readable (lib/http/unreadable-payload.ts).
    const dayAgo = new Date(Date.now() - 86_400_000);
    const unreadableLastDay = await webhookRejectionCounts(database, dayAgo);
    // Emails that ended `failed` (lib/jobs/analysis-failure.ts): shown to their owners, counted here.
    const { failed: failedLastDay } = await failedMessageCount(database, dayAgo);
    return json({
      status: "ok",
      version,
      database: "ok",
      transport,
      webhooks: { unreadableLastDay },
      messages: { failedLastDay },
    });
  } catch (error) {
    log.error("health.database", { error });
    return json({ status: "degraded", version, database: "unreachable", transport }, { status: 503 });
  }
});
