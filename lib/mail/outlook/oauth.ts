import { ProviderRequestError, ProviderUnavailableError } from "@/lib/mail/errors";
import { postTokenRequest } from "@/lib/mail/oauth/token-endpoint";
import type { TokenSet } from "@/lib/mail/provider";
import { OUTLOOK_SEND_SCOPE } from "@/lib/mail/reply-scopes";

export const MICROSOFT_LOGIN = "https://login.microsoftonline.com";

/**
 * Sign-in (openid email profile), a refresh token (offline_access), and the mailbox: Mail.ReadWrite
 * because auto-actions set categories, mark read and move to Archive; User.Read for the profile.
 */
export const MICROSOFT_SCOPES = [
  "openid",
  "email",
  "profile",
  "offline_access",
  "https://graph.microsoft.com/Mail.ReadWrite",
  "https://graph.microsoft.com/User.Read",
] as const;

/**
 * The scopes asked for: the reading ones, plus Mail.Send once the user enabled replies (incremental
 * consent: Microsoft shows a consent screen for the new permission only). A refresh asks for what
 * the mailbox granted, never more: asking Mail.Send of a grant without it fails with consent_required.
 */
export function microsoftScopes(p: { replies: boolean }): string[] {
  return p.replies ? [...MICROSOFT_SCOPES, OUTLOOK_SEND_SCOPE] : [...MICROSOFT_SCOPES];
}

/**
 * Token endpoint `error` values that only the user can fix. Microsoft asks clients to react on
 * `error`, never on the AADSTS number in `error_description`; for reference the usual ones are
 * invalid_grant: 70000 (grant invalid), 70008 / 700082 (refresh token expired, inactivity),
 * 50173 (revoked after a password change), 54005 (code already redeemed), 65001 (consent withdrawn);
 * interaction_required: 50076 / 50079 / 50158 (MFA or Conditional Access needs the user).
 */
export const MICROSOFT_RECONNECT_ERRORS = [
  "invalid_grant",
  "interaction_required",
  "consent_required",
] as const;

export type MicrosoftOAuthConfig = {
  clientId: string;
  clientSecret: string;
  /** "common" (work, school and personal accounts), "organizations", "consumers" or a tenant id. */
  tenant?: string;
  redirectUri: string;
};

function tenantOf(config: { tenant?: string }): string {
  return encodeURIComponent(config.tenant?.trim() || "common");
}

/** The URL the browser is sent to. `state` and the PKCE verifier stay server-side until the callback. */
export function microsoftAuthorizationUrl(params: {
  clientId: string;
  tenant?: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  loginHint?: string;
  /** e.g. "select_account" on sign-up, "consent" to re-consent after reconnect_required. */
  prompt?: string;
  /** Mail.Send too (the user is enabling replies). */
  replies?: boolean;
}): string {
  const query = new URLSearchParams({
    client_id: params.clientId,
    response_type: "code",
    response_mode: "query",
    redirect_uri: params.redirectUri,
    scope: microsoftScopes({ replies: params.replies === true }).join(" "),
    state: params.state,
    code_challenge: params.codeChallenge,
    code_challenge_method: "S256",
  });
  if (params.loginHint) query.set("login_hint", params.loginHint);
  if (params.prompt) query.set("prompt", params.prompt);
  return `${MICROSOFT_LOGIN}/${tenantOf(params)}/oauth2/v2.0/authorize?${query.toString()}`;
}

async function tokenRequest(config: MicrosoftOAuthConfig, form: Record<string, string>) {
  try {
    return await postTokenRequest(
      "outlook",
      `${MICROSOFT_LOGIN}/${tenantOf(config)}/oauth2/v2.0/token`,
      form,
      {
        reconnectErrors: MICROSOFT_RECONNECT_ERRORS,
      },
    );
  } catch (error) {
    // Entra's "server busy" comes back as a 400 with this OAuth error: retry later, not a refusal.
    if (error instanceof ProviderRequestError && error.reason === "temporarily_unavailable") {
      throw new ProviderUnavailableError("outlook", error.status);
    }
    throw error;
  }
}

/** Callback leg: the code and the PKCE verifier for tokens and the id_token (verify it before use). */
export async function exchangeMicrosoftCode(
  config: MicrosoftOAuthConfig,
  params: { code: string; codeVerifier: string; replies?: boolean },
): Promise<{ tokens: TokenSet; idToken: string }> {
  const { tokens, idToken } = await tokenRequest(config, {
    client_id: config.clientId,
    client_secret: config.clientSecret,
    grant_type: "authorization_code",
    code: params.code,
    redirect_uri: config.redirectUri,
    code_verifier: params.codeVerifier,
    scope: microsoftScopes({ replies: params.replies === true }).join(" "),
  });
  if (idToken === null) throw new ProviderRequestError("outlook", 200, "missing_id_token");
  return { tokens, idToken };
}

/**
 * New access token. Microsoft rotates the refresh token on every use: `tokens.refreshToken` is the
 * one to store (it is null only if Microsoft sent none, in which case keep the old one).
 */
export async function refreshMicrosoftToken(
  config: MicrosoftOAuthConfig,
  refreshToken: string,
  grant: { replies: boolean } = { replies: false },
): Promise<TokenSet> {
  const { tokens } = await tokenRequest(config, {
    client_id: config.clientId,
    client_secret: config.clientSecret,
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    scope: microsoftScopes(grant).join(" "),
  });
  return tokens;
}
