// POST /api/auth/logout — ends the session (the sign-out button of every page): the session row is
// revoked, so the cookie is worthless even if a copy of it survives somewhere.
import { NextResponse } from "next/server";
import { isSameOrigin } from "@/app/_lib/same-origin";
import { db } from "@/lib/db/client";
import { withRoute } from "@/lib/http/route";
import { clearedSessionCookie, endSession, requestCookie } from "@/lib/http/session";
import { SESSION_COOKIE } from "@/lib/security/session";

export const dynamic = "force-dynamic";

export const POST = withRoute("auth:logout", async (req) => {
  if (!isSameOrigin(req)) return new Response("Forbidden", { status: 403 });
  await endSession(await db(), requestCookie(req, SESSION_COOKIE));
  const res = new NextResponse(null, { status: 303, headers: { location: "/" } });
  const cleared = clearedSessionCookie();
  res.cookies.set(cleared.name, cleared.value, cleared.options);
  return res;
});
