import { randomBytes } from "node:crypto";
import { s256Challenge } from "@/lib/mail/oauth/pkce";

/*
 * HubSpot's OAuth server as the 2026-03 "Manage OAuth tokens" reference describes it
 * (developers.hubspot.com/docs/api-reference/2026-03/authentication/manage-oauth-tokens):
 * parameters in the form body, single-use authorization codes, access tokens that expire after 30
 * minutes, refresh tokens that stay valid until the app is uninstalled or the token revoked, and
 * RFC 6749 §5.2 error bodies ({error, error_description}, changelog "New OAuth v3 API endpoints
 * and standardized error responses").
 */

export type HubSpotGrant = { hubId: number; scopes: string[]; userId: number };
type Reply = { status: number; body: Record<string, unknown> };

const token = (prefix: string) => `${prefix}${randomBytes(24).toString("base64url")}`;
const oauthError = (error: string, description: string, status = 400): Reply => ({
  status,
  body: { error, error_description: description },
});

/** Access tokens live 30 minutes (the reference's "Token types"). */
export const HUBSPOT_ACCESS_TTL_S = 1800;

export class FakeHubSpotOAuth {
  private readonly codes = new Map<
    string,
    HubSpotGrant & { redirectUri: string; challenge: string | null; used: boolean }
  >();
  private readonly refreshTokens = new Map<string, HubSpotGrant & { revoked: boolean }>();
  private readonly accessTokens = new Map<string, HubSpotGrant & { expiresAt: number }>();
  revocations = 0;
  refreshes = 0;

  constructor(private readonly opts: { clientId: string; clientSecret: string; now: () => number }) {}

  /** The installing user at HubSpot's consent screen: the URL HubSpot redirects the browser to. */
  consent(authorizationUrl: string, grant: HubSpotGrant & { deny?: boolean }): string {
    const q = new URL(authorizationUrl).searchParams;
    if (q.get("client_id") !== this.opts.clientId) throw new Error("hubspot fake: unknown client_id");
    const redirect = new URL(q.get("redirect_uri") ?? "");
    const state = q.get("state");
    if (state !== null) redirect.searchParams.set("state", state);
    if (grant.deny) {
      redirect.searchParams.set("error", "access_denied");
      return redirect.toString();
    }
    // The install URL's `scope` is what the app asks for; the user grants what the app lists.
    const asked = (q.get("scope") ?? "").split(" ").filter(Boolean);
    const code = token("na1-code-");
    this.codes.set(code, {
      ...grant,
      scopes: grant.scopes.filter((s) => asked.includes(s)),
      redirectUri: q.get("redirect_uri") ?? "",
      challenge: q.get("code_challenge_method") === "S256" ? q.get("code_challenge") : null,
      used: false,
    });
    redirect.searchParams.set("code", code);
    return redirect.toString();
  }

  private issue(grant: HubSpotGrant, refreshToken: string): Reply {
    const access = token("CJ-fake-access-");
    this.accessTokens.set(access, { ...grant, expiresAt: this.opts.now() + HUBSPOT_ACCESS_TTL_S * 1000 });
    return {
      status: 200,
      body: {
        token_type: "bearer",
        access_token: access,
        refresh_token: refreshToken,
        expires_in: HUBSPOT_ACCESS_TTL_S,
        hub_id: grant.hubId,
        user_id: grant.userId,
        scopes: grant.scopes,
      },
    };
  }

  token(form: URLSearchParams): Reply {
    if (form.get("client_id") !== this.opts.clientId || form.get("client_secret") !== this.opts.clientSecret)
      return oauthError("invalid_client", "client_id or client_secret is invalid", 401);
    const grantType = form.get("grant_type");
    if (grantType === "authorization_code") {
      const code = this.codes.get(form.get("code") ?? "");
      if (!code || code.used) return oauthError("invalid_grant", "authorization code is invalid or was used");
      if (code.redirectUri !== form.get("redirect_uri"))
        return oauthError("invalid_grant", "redirect_uri does not match");
      if (code.challenge && s256Challenge(form.get("code_verifier") ?? "") !== code.challenge)
        return oauthError("invalid_grant", "code_verifier does not match the code_challenge");
      code.used = true;
      const refresh = token("na1-refresh-");
      this.refreshTokens.set(refresh, { ...code, revoked: false });
      return this.issue(code, refresh);
    }
    if (grantType === "refresh_token") {
      const rt = form.get("refresh_token") ?? "";
      const grant = this.refreshTokens.get(rt);
      if (!grant || grant.revoked) return oauthError("invalid_grant", "refresh token is invalid or revoked");
      this.refreshes++;
      return this.issue(grant, rt);
    }
    return oauthError("unsupported_grant_type", `grant_type ${grantType ?? "(none)"} is not supported`);
  }

  revoke(form: URLSearchParams): Reply {
    if (form.get("client_id") !== this.opts.clientId || form.get("client_secret") !== this.opts.clientSecret)
      return oauthError("invalid_client", "client_id or client_secret is invalid", 401);
    const grant = this.refreshTokens.get(form.get("token") ?? "");
    if (!grant) return oauthError("invalid_request", "token not found");
    grant.revoked = true;
    this.revocations++;
    for (const [t, a] of this.accessTokens) if (a.hubId === grant.hubId) this.accessTokens.delete(t);
    return { status: 200, body: {} };
  }

  /** The grant behind a bearer token: "expired", "invalid", or the grant. */
  bearer(header: string | null): (HubSpotGrant & { expiresAt: number }) | "expired" | "invalid" {
    const t = header?.startsWith("Bearer ") ? header.slice(7) : null;
    const grant = t ? this.accessTokens.get(t) : undefined;
    if (!grant) return "invalid";
    return grant.expiresAt <= this.opts.now() ? "expired" : grant;
  }

  /** Every access token issued so far expires now (a sync that outlives its token). */
  expireAccessTokens(): void {
    for (const grant of this.accessTokens.values()) grant.expiresAt = this.opts.now();
  }

  isRevoked(refreshToken: string): boolean {
    return this.refreshTokens.get(refreshToken)?.revoked ?? false;
  }
}
