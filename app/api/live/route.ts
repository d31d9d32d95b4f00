// GET /api/live — polled by the dashboard and onboarding pages: a fingerprint of the signed-in
// organization's live data; the page refreshes itself when it changes. Being polled by every open
// page, it is also where a session due for a new id gets one (server components cannot set cookies).
import { NextResponse } from "next/server";
import { organizationFingerprint } from "@/app/_lib/fingerprint";
import { db } from "@/lib/db/client";
import { json, withRoute } from "@/lib/http/route";
import { rotateIfDue, sessionFromRequest } from "@/lib/http/session";

export const dynamic = "force-dynamic";

export const GET = withRoute("live", async (req) => {
  const database = await db();
  const session = await sessionFromRequest(req);
  if (!session) return json({ error: "unauthorized" }, { status: 401 });
  const fingerprint = await organizationFingerprint(database, session.organizationId);
  const res = NextResponse.json({ fingerprint }, { headers: { "cache-control": "no-store" } });
  const rotated = await rotateIfDue(database, session);
  if (rotated) res.cookies.set(rotated.name, rotated.value, rotated.options);
  return res;
});
