import type { JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { ProviderRequestError, ProviderUnavailableError, UnauthorizedError } from "@/lib/mail/errors";
import {
  GOOGLE_AUTH_URL,
  GOOGLE_CERTS_URL,
  GOOGLE_ISSUERS,
  GOOGLE_REVOKE_URL,
  GOOGLE_SCOPES,
  GOOGLE_TOKEN_URL,
} from "@/lib/mail/gmail/google-endpoints";
import { remoteJwks } from "@/lib/mail/oauth/remote-jwks";
import { postTokenRequest } from "@/lib/mail/oauth/token-endpoint";
import { verifyJwt } from "@/lib/mail/oauth/verify-jwt";
import type { TokenSet } from "@/lib/mail/provider";

export type GoogleClient = { clientId: string; clientSecret: string };

/**
 * Where /api/auth/google/start sends the browser. `prompt=consent` is what makes Google issue a new
 * refresh token to a user who already granted access, so it is sent only when we need one.
 */
export function googleAuthorizationUrl(params: {
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  loginHint?: string;
  needRefreshToken: boolean;
}): string {
  const url = new URL(GOOGLE_AUTH_URL);
  const q = url.searchParams;
  q.set("client_id", params.clientId);
  q.set("redirect_uri", params.redirectUri);
  q.set("response_type", "code");
  q.set("scope", GOOGLE_SCOPES.join(" "));
  q.set("access_type", "offline");
  q.set("include_granted_scopes", "true");
  q.set("state", params.state);
  q.set("code_challenge", params.codeChallenge);
  q.set("code_challenge_method", "S256");
  if (params.needRefreshToken) q.set("prompt", "consent");
  if (params.loginHint) q.set("login_hint", params.loginHint);
  return url.toString();
}

/**
 * Scopes we asked for that the user did not grant. Google's consent screen lets users untick
 * Gmail, so a successful exchange can still lack it: the callback must check before connecting.
 */
export function missingGoogleScopes(grantedScope: string | null): string[] {
  const granted = new Set((grantedScope ?? "").split(/\s+/).filter(Boolean));
  // Google reports `email`/`profile` as their userinfo URLs.
  const aliases: Record<string, string> = {
    email: "https://www.googleapis.com/auth/userinfo.email",
    profile: "https://www.googleapis.com/auth/userinfo.profile",
  };
  return GOOGLE_SCOPES.filter((s) => !granted.has(s) && !granted.has(aliases[s] ?? s));
}

/** Authorization code + PKCE verifier → tokens and the id_token (verify it with `verifyGoogleIdToken`). */
export async function exchangeGoogleCode(
  params: GoogleClient & { code: string; codeVerifier: string; redirectUri: string },
): Promise<{ tokens: TokenSet; idToken: string }> {
  const result = await postTokenRequest("gmail", GOOGLE_TOKEN_URL, {
    grant_type: "authorization_code",
    code: params.code,
    code_verifier: params.codeVerifier,
    redirect_uri: params.redirectUri,
    client_id: params.clientId,
    client_secret: params.clientSecret,
  });
  if (result.idToken === null) throw new ProviderRequestError("gmail", 200, "missing_id_token");
  return { tokens: result.tokens, idToken: result.idToken };
}

/** New access token. `refreshToken` in the result is null unless Google rotated it (then store it). */
export async function refreshGoogleToken(params: GoogleClient & { refreshToken: string }): Promise<TokenSet> {
  const { tokens } = await postTokenRequest("gmail", GOOGLE_TOKEN_URL, {
    grant_type: "refresh_token",
    refresh_token: params.refreshToken,
    client_id: params.clientId,
    client_secret: params.clientSecret,
  });
  return tokens;
}

/**
 * Revokes the grant (a refresh token revokes every token of the grant). Idempotent: a token Google
 * no longer knows (`invalid_token`) counts as revoked, so deleting an account never gets stuck.
 */
export async function revokeGoogleToken(token: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(GOOGLE_REVOKE_URL, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }),
    });
  } catch (cause) {
    throw new ProviderUnavailableError("gmail", null, { cause });
  }
  if (response.ok) return;
  if (response.status >= 500) throw new ProviderUnavailableError("gmail", response.status);
  const body = z.object({ error: z.string() }).safeParse(await response.json().catch(() => null));
  if (body.success && body.data.error === "invalid_token") return;
  throw new ProviderRequestError("gmail", response.status, body.success ? body.data.error : "revoke_failed");
}

const idTokenClaimsSchema = z.object({
  sub: z.string().min(1),
  email: z.string().min(3),
  // Boolean in id_tokens; older Google endpoints sent the string form.
  email_verified: z
    .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
    .default(false),
  name: z.string().optional(),
  picture: z.string().optional(),
  /** Google Workspace domain; absent for consumer accounts. */
  hd: z.string().optional(),
});

export type GoogleIdentity = {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  picture: string | null;
  hd: string | null;
};

/** Verifies a Google id_token (RS256 against Google's JWKS, issuer, audience = our client id, expiry). */
export async function verifyGoogleIdToken(
  idToken: string,
  options: { clientId: string; jwks?: JWTVerifyGetKey },
): Promise<GoogleIdentity> {
  if (!options.clientId) throw new Error("verifyGoogleIdToken: clientId is required");
  const payload = await verifyJwt("gmail", idToken, options.jwks ?? remoteJwks(GOOGLE_CERTS_URL), {
    algorithms: ["RS256"],
    issuer: GOOGLE_ISSUERS,
    audience: options.clientId,
    requiredClaims: ["sub", "exp", "iat"],
    clockTolerance: 10,
  });
  const claims = idTokenClaimsSchema.safeParse(payload);
  if (!claims.success) throw new UnauthorizedError("id_token lacks sub or email");
  const c = claims.data;
  return {
    sub: c.sub,
    email: c.email.toLowerCase(),
    emailVerified: c.email_verified,
    name: c.name ?? null,
    picture: c.picture ?? null,
    hd: c.hd ?? null,
  };
}
