import { NextResponse } from "next/server";
import { crmOAuthFor, crmRedirectUri } from "@/lib/config/crm-providers";
import type { CrmFailure } from "@/lib/crm/types";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { drainAfterResponse } from "@/lib/http/after-response";
import { checkCallback } from "@/lib/http/oauth-callback";
import { sessionFromRequest } from "@/lib/http/session";
import { connectOAuthCrm } from "@/lib/jobs/crm-connect";
import type { Logger } from "@/lib/log";
import { createPkce, randomState } from "@/lib/mail/oauth/pkce";
import { cookieOptions, OAUTH_COOKIE, sealOAuthFlow } from "@/lib/security/session";

/*
 * Connecting a CRM from Settings: the signed-in user is sent to the CRM's consent screen with
 * state + PKCE (kept in the same encrypted 10-minute cookie as the sign-in flows), and the
 * callback exchanges the code, seals the tokens in the vault, queues the first sync and returns
 * to Settings with what happened. The route files only name the CRM.
 */

export type OAuthCrm = "hubspot" | "zoho";

const back = (outcome: { notice: string } | { error: string }) => {
  const url = new URL("/settings", env.APP_URL);
  if ("notice" in outcome) url.searchParams.set("notice", outcome.notice);
  else url.searchParams.set("error", outcome.error);
  url.hash = "crm";
  const res = NextResponse.redirect(url, 303);
  res.cookies.set(OAUTH_COOKIE, "", cookieOptions(0));
  return res;
};

const signInFirst = () => NextResponse.redirect(new URL("/?signin=required", env.APP_URL), 303);

/** What the user is told when the CRM refused the grant. */
function failureKey(error: CrmFailure): string {
  if (error.kind === "reconnect") return "crmScope";
  if (error.kind === "rejected") return "crmRefused";
  return "crmUnavailable";
}

/** GET /api/crm/<kind>/start */
export async function startCrmConnect(req: Request, kind: OAuthCrm): Promise<Response> {
  if (!(await sessionFromRequest(req))) return signInFirst();
  const oauth = crmOAuthFor(kind);
  if (!oauth) return back({ error: "crmNotConfigured" });
  const pkce = createPkce();
  const state = randomState();
  const res = NextResponse.redirect(
    oauth.authorizationUrl({ state, codeChallenge: pkce.challenge, redirectUri: crmRedirectUri(kind) }),
    302,
  );
  res.cookies.set(
    OAUTH_COOKIE,
    await sealOAuthFlow({ provider: kind, state, verifier: pkce.verifier }),
    cookieOptions(600),
  );
  return res;
}

/** GET /api/crm/<kind>/callback */
export async function finishCrmConnect(req: Request, kind: OAuthCrm, log: Logger): Promise<Response> {
  const session = await sessionFromRequest(req);
  if (!session) return signInFirst();
  const oauth = crmOAuthFor(kind);
  if (!oauth) return back({ error: "crmNotConfigured" });
  const checked = await checkCallback(req, kind);
  if (!checked.ok) return back({ error: checked.reason === "denied" ? "crmDenied" : "crmState" });
  const grant = await oauth.exchangeCode({
    code: checked.code,
    codeVerifier: checked.flow.verifier,
    redirectUri: crmRedirectUri(kind),
    callback: new URL(req.url).searchParams,
  });
  if (!grant.ok) {
    log.warn("crm.connect_failed", { provider: kind, kind: grant.error.kind });
    return back({ error: failureKey(grant.error) });
  }
  await connectOAuthCrm(await db(), session, kind, grant.value);
  drainAfterResponse();
  return back({ notice: "crmConnected" });
}
