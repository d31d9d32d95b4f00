import { NextRequest, NextResponse } from "next/server";
import { LOCALE_COOKIE } from "@/app/_lib/locale-cookie";
import { isSameOrigin } from "@/app/_lib/same-origin";
import { signIn } from "@/lib/db/accounts";
import type { Db } from "@/lib/db/port";
import { openSession, requestCookie } from "@/lib/http/session";
import { toLocale } from "@/lib/i18n/catalogue";
import { SESSION_COOKIE } from "@/lib/security/session";

/**
 * Local mode's sign-in: the one local user (and their organization, created on first use), in the
 * language the visitor chose, then on to onboarding — or the dashboard once onboarded.
 */
export async function localSignIn(db: Db, req: Request): Promise<Response> {
  if (!isSameOrigin(req)) return new Response("Forbidden", { status: 403 });
  const account = await signIn(db, {
    provider: "local",
    subject: "local-user",
    email: "vous@local.test",
    name: "Vous (mode local)",
    locale: toLocale(new NextRequest(req).cookies.get(LOCALE_COOKIE)?.value),
  });
  const res = new NextResponse(null, {
    status: 303,
    headers: { location: account.onboarded ? "/dashboard" : "/onboarding" },
  });
  const session = await openSession(db, account, requestCookie(req, SESSION_COOKIE));
  res.cookies.set(session.name, session.value, session.options);
  return res;
}
