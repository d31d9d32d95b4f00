// GET /api/health — uptime checks and the README's first-run check: version, database, transport.
import { db } from "@/lib/db/client";
import { json, withRoute } from "@/lib/http/route";
import { version } from "@/lib/version";

export const dynamic = "force-dynamic";

export const GET = withRoute("health", async (_req, { log }) => {
  let transport: string | null = null;
  try {
    const database = await db();
    transport = database.transport;
    await database.rpc("health_check");
    return json({ status: "ok", version, database: "ok", transport });
  } catch (error) {
    log.error("health.database", { error });
    return json({ status: "degraded", version, database: "unreachable", transport }, { status: 503 });
  }
});
