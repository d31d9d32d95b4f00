// POST /api/auth/logout — ends the session (the sign-out button of every page).
import { NextResponse } from "next/server";
import { isSameOrigin } from "@/app/_lib/same-origin";
import { withRoute } from "@/lib/http/route";
import { cookieOptions, SESSION_COOKIE } from "@/lib/security/session";

export const dynamic = "force-dynamic";

export const POST = withRoute("auth:logout", async (req) => {
  if (!isSameOrigin(req)) return new Response("Forbidden", { status: 403 });
  const res = new NextResponse(null, { status: 303, headers: { location: "/" } });
  res.cookies.set(SESSION_COOKIE, "", cookieOptions(0));
  return res;
});
