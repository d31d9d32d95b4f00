// GET /api/auth/microsoft/callback — Microsoft redirects here after consent: verify, sign in, connect Outlook.

import { microsoftRedirectUri } from "@/lib/config/mail-providers";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors/app-error";
import { drainAfterResponse } from "@/lib/http/after-response";
import {
  checkCallback,
  exchangeFailure,
  type OAuthFailure,
  oauthError,
  signedIn,
} from "@/lib/http/oauth-callback";
import { withRoute } from "@/lib/http/route";
import { sessionFromRequest } from "@/lib/http/session";
import { completeOAuthSignIn } from "@/lib/jobs/connect-mailbox";
import { ProviderRequestError, ProviderUnavailableError, RateLimitedError } from "@/lib/mail/errors";
import { type MicrosoftIdentity, verifyMicrosoftIdToken } from "@/lib/mail/outlook/id-token";
import { exchangeMicrosoftCode } from "@/lib/mail/outlook/oauth";

export const dynamic = "force-dynamic";

/** Without Mail.ReadWrite there is nothing to triage (an admin may have consented to less). */
const hasMailScope = (scope: string | null) => /(^|[\s/])mail\.readwrite(\s|$)/i.test(scope ?? "");

/**
 * Our key for a Microsoft user: `tid:sub`. OIDC makes (issuer, sub) the unique, stable identifier,
 * and with the multi-tenant endpoint the issuer is per tenant, so `tid:sub` is exactly that pair.
 * `sub` is always present (oid needs the profile scope and is absent from some tokens), it never
 * changes for our app (it is pairwise: a new Azure app registration would change it), and unlike the
 * email or preferred_username claims it cannot be edited by a tenant admin to impersonate someone.
 */
const microsoftSubject = (identity: Pick<MicrosoftIdentity, "tid" | "sub">) =>
  `${identity.tid}:${identity.sub}`;

function failureOf(error: unknown): OAuthFailure | null {
  const known = exchangeFailure(error);
  if (known) return known;
  const vendor =
    error instanceof ProviderRequestError ||
    error instanceof ProviderUnavailableError ||
    error instanceof RateLimitedError;
  return vendor ? "provider" : null;
}

export const GET = withRoute("auth:microsoft:callback", async (req, { log }) => {
  if (!env.MICROSOFT_CLIENT_ID || !env.MICROSOFT_CLIENT_SECRET) return oauthError("microsoft", "provider");
  const checked = await checkCallback(req, "microsoft");
  if (!checked.ok) return oauthError("microsoft", checked.reason);

  let exchanged: Awaited<ReturnType<typeof exchangeMicrosoftCode>>;
  let identity: MicrosoftIdentity;
  try {
    exchanged = await exchangeMicrosoftCode(
      {
        clientId: env.MICROSOFT_CLIENT_ID,
        clientSecret: env.MICROSOFT_CLIENT_SECRET,
        tenant: env.MICROSOFT_TENANT,
        redirectUri: microsoftRedirectUri(),
      },
      { code: checked.code, codeVerifier: checked.flow.verifier, replies: checked.flow.replies === true },
    );
    identity = await verifyMicrosoftIdToken(exchanged.idToken, {
      clientId: env.MICROSOFT_CLIENT_ID,
      tenant: env.MICROSOFT_TENANT,
    });
  } catch (error) {
    const reason = failureOf(error);
    if (!reason) throw error;
    log.warn("oauth.microsoft.failed", { reason, error });
    return oauthError("microsoft", reason);
  }
  if (!identity.email) return oauthError("microsoft", "identity");
  if (!hasMailScope(exchanged.tokens.scope)) return oauthError("microsoft", "scope");

  try {
    const database = await db();
    const { account } = await completeOAuthSignIn(database, log, {
      account: "microsoft",
      mailboxProvider: "outlook",
      identity: { subject: microsoftSubject(identity), email: identity.email, name: identity.name },
      tokens: exchanged.tokens,
      // Already signed in (connecting another mailbox from settings): join that organization.
      joinOrganizationId: (await sessionFromRequest(req))?.organizationId ?? null,
    });
    // completeOAuthSignIn queued a sync: a new mailbox gets its recent inbox mail and its delta
    // link, a reconnected one catches up on what arrived while it was cut off.
    drainAfterResponse();
    return signedIn(req, account, account.onboarded, checked.flow.returnTo);
  } catch (error) {
    if (isAppError(error) && error.status === 409) return oauthError("microsoft", "mailbox_taken");
    throw error;
  }
});
