// POST /api/auth/logout — ends the session (the sign-out button of every page).
import { cookies } from "next/headers";
import { withRoute } from "@/lib/http/route";
import { cookieOptions, SESSION_COOKIE } from "@/lib/security/session";

export const dynamic = "force-dynamic";

export const POST = withRoute("auth:logout", async () => {
  (await cookies()).set(SESSION_COOKIE, "", cookieOptions(0));
  return new Response(null, { status: 303, headers: { location: "/" } });
});
