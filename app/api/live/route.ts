// GET /api/live — polled by the dashboard and onboarding pages: a fingerprint of the signed-in
// organization's live data; the page refreshes itself when it changes.
import { organizationFingerprint } from "@/app/_lib/fingerprint";
import { db } from "@/lib/db/client";
import { json, withRoute } from "@/lib/http/route";
import { sessionFromRequest } from "@/lib/http/session";

export const dynamic = "force-dynamic";

export const GET = withRoute("live", async (req) => {
  const user = await sessionFromRequest(req);
  if (!user) return json({ error: "unauthorized" }, { status: 401 });
  return json({ fingerprint: await organizationFingerprint(await db(), user.organizationId) });
});
