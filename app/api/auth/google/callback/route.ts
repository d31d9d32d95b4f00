// GET /api/auth/google/callback — Google redirects here after consent: verify, sign in, connect Gmail.

import { googleRedirectUri } from "@/lib/config/mail-providers";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors/app-error";
import { drainAfterResponse } from "@/lib/http/after-response";
import { checkCallback, exchangeFailure, oauthError, signedIn } from "@/lib/http/oauth-callback";
import { withRoute } from "@/lib/http/route";
import { sessionFromRequest } from "@/lib/http/session";
import { completeOAuthSignIn } from "@/lib/jobs/connect-mailbox";
import { exchangeGoogleCode, missingGoogleScopes, verifyGoogleIdToken } from "@/lib/mail/gmail/oauth";

export const dynamic = "force-dynamic";

export const GET = withRoute("auth:google:callback", async (req, { log }) => {
  if (!env.GOOGLE_CLIENT_ID || !env.GOOGLE_CLIENT_SECRET) return oauthError("google", "provider");
  const checked = await checkCallback(req, "google");
  if (!checked.ok) return oauthError("google", checked.reason);

  let exchanged: Awaited<ReturnType<typeof exchangeGoogleCode>>;
  let identity: Awaited<ReturnType<typeof verifyGoogleIdToken>>;
  try {
    exchanged = await exchangeGoogleCode({
      clientId: env.GOOGLE_CLIENT_ID,
      clientSecret: env.GOOGLE_CLIENT_SECRET,
      code: checked.code,
      codeVerifier: checked.flow.verifier,
      redirectUri: googleRedirectUri(),
    });
    identity = await verifyGoogleIdToken(exchanged.idToken, { clientId: env.GOOGLE_CLIENT_ID });
  } catch (error) {
    const reason = exchangeFailure(error);
    if (!reason) throw error;
    log.warn("oauth.google.failed", { reason });
    return oauthError("google", reason);
  }
  if (!identity.emailVerified) return oauthError("google", "identity");
  // The consent screen lets users untick Gmail: without it there is nothing to triage.
  if (missingGoogleScopes(exchanged.tokens.scope).length > 0) return oauthError("google", "scope");

  try {
    const { account, hasRefreshToken } = await completeOAuthSignIn(await db(), log, {
      account: "google",
      mailboxProvider: "gmail",
      identity: { subject: identity.sub, email: identity.email, name: identity.name },
      tokens: exchanged.tokens,
      // Already signed in (connecting another mailbox from settings): join that organization.
      joinOrganizationId: (await sessionFromRequest(req))?.organizationId ?? null,
    });
    drainAfterResponse();
    if (!hasRefreshToken) {
      // A plain sign-in on a mailbox we hold no refresh token for: ask Google again, with consent,
      // or the mailbox would stop working when this access token expires in an hour.
      const res = await signedIn(req, account, account.onboarded);
      const retry = new URL("/api/auth/google/start", env.APP_URL);
      retry.searchParams.set("login_hint", identity.email);
      res.headers.set("location", retry.toString());
      return res;
    }
    return signedIn(req, account, account.onboarded);
  } catch (error) {
    if (isAppError(error) && error.status === 409) return oauthError("google", "mailbox_taken");
    throw error;
  }
});
