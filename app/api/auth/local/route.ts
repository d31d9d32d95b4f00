// POST /api/auth/local — "Continuer en mode local": signs in the one local user. Local mode only
// (development with no OAuth configured); everywhere else this route does not exist.
import { cookies } from "next/headers";
import { LOCALE_COOKIE } from "@/app/_lib/locale-cookie";
import { signIn } from "@/lib/db/accounts";
import { db } from "@/lib/db/client";
import { isLocalMode } from "@/lib/env";
import { withRoute } from "@/lib/http/route";
import { toLocale } from "@/lib/i18n/catalogue";
import { cookieOptions, SESSION_COOKIE, SESSION_MAX_AGE, signSession } from "@/lib/security/session";

export const dynamic = "force-dynamic";

export const POST = withRoute("auth:local", async () => {
  if (!isLocalMode) return new Response("Not found", { status: 404 });
  const jar = await cookies();
  const account = await signIn(await db(), {
    provider: "local",
    subject: "local-user",
    email: "vous@local.test",
    name: "Vous (mode local)",
    locale: toLocale(jar.get(LOCALE_COOKIE)?.value),
  });
  jar.set(SESSION_COOKIE, await signSession(account), cookieOptions(SESSION_MAX_AGE));
  const target = account.onboarded ? "/dashboard" : "/onboarding";
  return new Response(null, { status: 303, headers: { location: target } });
});
