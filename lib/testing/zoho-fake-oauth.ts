import { randomBytes } from "node:crypto";
import { s256Challenge } from "@/lib/mail/oauth/pkce";

/*
 * Zoho Accounts in several data centres (zoho.com/accounts/protocol/oauth): the consent redirect
 * names the user's data centre (`location`, `accounts-server`, "Multi DC support"); a code is
 * exchanged, and a token refreshed or revoked, only at that data centre's accounts server
 * ("Make access token request to the server URL associated with user's location"); codes are
 * single-use and bound to the redirect URI and, when a code_challenge was sent, to its verifier
 * (server-based apps "optionally use ... PKCE"); access tokens last 3,600 s; the token response
 * names the API domain. A refused code or refresh token is HTTP 200 with {error: "invalid_code"}.
 */

export const ZOHO_DCS = {
  com: { accounts: "https://accounts.zoho.com", api: "https://www.zohoapis.com" },
  eu: { accounts: "https://accounts.zoho.eu", api: "https://www.zohoapis.eu" },
  in: { accounts: "https://accounts.zoho.in", api: "https://www.zohoapis.in" },
  au: { accounts: "https://accounts.zoho.com.au", api: "https://www.zohoapis.com.au" },
} as const;
export type ZohoDc = keyof typeof ZOHO_DCS;

export type ZohoGrant = { dc: ZohoDc; scopes: string[] };
type Reply = { status: number; body: Record<string, unknown> };

const token = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;
const refused = (error: string): Reply => ({ status: 200, body: { error } });

export class FakeZohoOAuth {
  private readonly codes = new Map<
    string,
    ZohoGrant & { redirectUri: string; challenge: string | null; used: boolean; at: number }
  >();
  private readonly refreshTokens = new Map<string, ZohoGrant & { revoked: boolean }>();
  private readonly accessTokens = new Map<string, ZohoGrant & { expiresAt: number }>();
  refreshes = 0;
  revocations: ZohoDc[] = [];

  constructor(private readonly opts: { clientId: string; clientSecret: string; now: () => number }) {}

  consent(authorizationUrl: string, grant: Partial<ZohoGrant> & { deny?: boolean } = {}): string {
    const url = new URL(authorizationUrl);
    const q = url.searchParams;
    // The authorization request starts at accounts.zoho.com whatever the user's data centre.
    if (url.origin !== ZOHO_DCS.com.accounts || url.pathname !== "/oauth/v2/auth")
      throw new Error(`zoho fake: authorization at ${url.origin}${url.pathname}`);
    if (q.get("client_id") !== this.opts.clientId || q.get("response_type") !== "code")
      throw new Error("zoho fake: bad authorization request");
    const redirect = new URL(q.get("redirect_uri") ?? "");
    const state = q.get("state");
    if (state !== null) redirect.searchParams.set("state", state);
    if (grant.deny) {
      redirect.searchParams.set("error", "access_denied");
      return redirect.toString();
    }
    const dc = grant.dc ?? "com";
    const asked = (q.get("scope") ?? "").split(",").filter(Boolean);
    const code = token("1000.");
    this.codes.set(code, {
      dc,
      scopes: grant.scopes ? grant.scopes.filter((s) => asked.includes(s)) : asked,
      redirectUri: q.get("redirect_uri") ?? "",
      challenge: q.get("code_challenge_method") === "S256" ? q.get("code_challenge") : null,
      used: false,
      at: this.opts.now(),
    });
    redirect.searchParams.set("code", code);
    redirect.searchParams.set("location", dc === "au" ? "au" : dc === "com" ? "us" : dc);
    redirect.searchParams.set("accounts-server", ZOHO_DCS[dc].accounts);
    return redirect.toString();
  }

  private issue(grant: ZohoGrant, refreshToken: string | null): Reply {
    const access = token("1000.");
    this.accessTokens.set(access, { ...grant, expiresAt: this.opts.now() + 3_600_000 });
    return {
      status: 200,
      body: {
        access_token: access,
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
        scope: grant.scopes.join(" "),
        api_domain: ZOHO_DCS[grant.dc].api,
        token_type: "Bearer",
        expires_in: 3600,
      },
    };
  }

  token(dc: ZohoDc, form: URLSearchParams): Reply {
    if (form.get("client_id") !== this.opts.clientId) return refused("invalid_client");
    if (form.get("client_secret") !== this.opts.clientSecret) return refused("invalid_client_secret");
    if (form.get("grant_type") === "authorization_code") {
      const code = this.codes.get(form.get("code") ?? "");
      // The code is valid for 2 minutes, once, at its own data centre.
      if (!code || code.used || code.dc !== dc || this.opts.now() - code.at > 120_000)
        return refused("invalid_code");
      if (code.redirectUri !== form.get("redirect_uri")) return refused("invalid_redirect_uri");
      if (code.challenge && s256Challenge(form.get("code_verifier") ?? "") !== code.challenge)
        return refused("invalid_code");
      code.used = true;
      const refresh = token("1000.");
      this.refreshTokens.set(refresh, { dc: code.dc, scopes: code.scopes, revoked: false });
      return this.issue(code, refresh);
    }
    if (form.get("grant_type") === "refresh_token") {
      const grant = this.refreshTokens.get(form.get("refresh_token") ?? "");
      if (!grant || grant.revoked || grant.dc !== dc) return refused("invalid_code");
      this.refreshes++;
      return this.issue(grant, null);
    }
    return refused("unsupported_grant_type");
  }

  revoke(dc: ZohoDc, refreshToken: string | null): Reply {
    const grant = this.refreshTokens.get(refreshToken ?? "");
    if (!grant || grant.dc !== dc) return { status: 400, body: { error: "invalid_request" } };
    grant.revoked = true;
    this.revocations.push(dc);
    for (const [t, a] of this.accessTokens) if (a.dc === dc) this.accessTokens.delete(t);
    return { status: 200, body: { status: "success" } };
  }

  /** The grant behind `Zoho-oauthtoken <token>` at a data centre's API domain. */
  bearer(dc: ZohoDc, header: string | null): ZohoGrant | "invalid" {
    const t = header?.startsWith("Zoho-oauthtoken ") ? header.slice(16) : null;
    const grant = t ? this.accessTokens.get(t) : undefined;
    if (!grant || grant.dc !== dc || grant.expiresAt <= this.opts.now()) return "invalid";
    return grant;
  }

  expireAccessTokens(): void {
    for (const grant of this.accessTokens.values()) grant.expiresAt = this.opts.now();
  }
}
