import { createHash, randomBytes } from "node:crypto";
import { GOOGLE_SCOPES } from "@/lib/mail/gmail/google-endpoints";
import { s256Challenge } from "@/lib/mail/oauth/pkce";
import { signAsGoogle } from "@/lib/testing/google-fake-keys";

export type FakeIdentity = { name?: string; picture?: string; hd?: string | null; emailVerified?: boolean };
type Reply = { status: number; body: Record<string, unknown> };

type Code = {
  address: string;
  clientId: string;
  redirectUri: string;
  challenge: string | null;
  scope: string;
  refresh: boolean;
  expiresAt: number;
  used: boolean;
};

const token = (prefix: string) => `${prefix}${randomBytes(24).toString("base64url")}`;
const grantError = (description: string): Reply => ({
  status: 400,
  body: { error: "invalid_grant", error_description: description },
});

/** Google's stable numeric `sub` for an address. */
export function fakeSub(address: string): string {
  const hex = createHash("sha256").update(address.toLowerCase()).digest("hex").slice(0, 15);
  return `1${BigInt(`0x${hex}`).toString().padStart(20, "0").slice(0, 20)}`;
}

/**
 * Google's OAuth server: consent, authorization codes bound to PKCE and redirect URI, access and
 * refresh tokens, revocation. Like Google, a refresh token is only issued on first consent or
 * with prompt=consent.
 */
export class FakeGoogleOAuth {
  readonly identities = new Map<string, FakeIdentity>();
  private readonly codes = new Map<string, Code>();
  private readonly refreshTokens = new Map<string, { address: string; scope: string; revoked: boolean }>();
  private readonly accessTokens = new Map<
    string,
    { address: string; expiresAt: number; refreshToken: string | null; scopes: string[] }
  >();
  private readonly consented = new Set<string>();

  constructor(private readonly opts: { clientId: string; clientSecret: string; now: () => number }) {}

  /**
   * The user at Google's consent screen for an authorization URL we generated: returns the URL
   * Google redirects the browser to (with `code` and `state`, or `error=access_denied`).
   */
  consent(
    authorizationUrl: string,
    user: { address: string; deny?: boolean; grantedScopes?: string[]; identity?: FakeIdentity },
  ): string {
    const q = new URL(authorizationUrl).searchParams;
    const redirect = new URL(q.get("redirect_uri") ?? "");
    const state = q.get("state");
    if (state !== null) redirect.searchParams.set("state", state);
    if (user.deny) {
      redirect.searchParams.set("error", "access_denied");
      return redirect.toString();
    }
    if (user.identity) this.identities.set(user.address, user.identity);
    const key = `${q.get("client_id")}|${user.address}`;
    const refresh =
      q.get("access_type") === "offline" && (q.get("prompt") === "consent" || !this.consented.has(key));
    this.consented.add(key);
    const code = token("4/0A");
    this.codes.set(code, {
      address: user.address,
      clientId: q.get("client_id") ?? "",
      redirectUri: q.get("redirect_uri") ?? "",
      challenge: q.get("code_challenge_method") === "S256" ? q.get("code_challenge") : null,
      scope: (user.grantedScopes ?? [...GOOGLE_SCOPES]).join(" "),
      refresh,
      expiresAt: this.opts.now() + 5 * 60_000,
      used: false,
    });
    redirect.searchParams.set("code", code);
    redirect.searchParams.set("scope", (user.grantedScopes ?? [...GOOGLE_SCOPES]).join(" "));
    return redirect.toString();
  }

  /** A valid access token for a mailbox, without going through consent (our scopes by default). */
  issueAccessToken(
    address: string,
    expiresInSeconds = 3599,
    refreshToken: string | null = null,
    scope: string = GOOGLE_SCOPES.join(" "),
  ): string {
    const access = token("ya29.fake-");
    this.accessTokens.set(access, {
      address,
      expiresAt: this.opts.now() + expiresInSeconds * 1000,
      refreshToken,
      scopes: scope.split(/\s+/).filter(Boolean),
    });
    return access;
  }

  /** The scopes granted to a live access token (empty when unknown or expired). */
  scopesOf(accessToken: string): string[] {
    return [...(this.grantOf(accessToken)?.scopes ?? [])];
  }

  /** A refresh token for a mailbox, without going through consent. */
  issueRefreshToken(address: string, scope = GOOGLE_SCOPES.join(" ")): string {
    const refresh = token("1//0fake-");
    this.refreshTokens.set(refresh, { address, scope, revoked: false });
    return refresh;
  }

  /** The address an access token belongs to, or null when unknown, expired or revoked. */
  ownerOf(accessToken: string): string | null {
    return this.grantOf(accessToken)?.address ?? null;
  }

  /** Who an access token speaks for and the scopes it was granted; null when unknown or expired. */
  grantOf(accessToken: string): { address: string; scopes: readonly string[] } | null {
    const t = this.accessTokens.get(accessToken);
    return t && t.expiresAt > this.opts.now() ? { address: t.address, scopes: t.scopes } : null;
  }

  expireAccessTokens(address: string): void {
    for (const t of this.accessTokens.values()) if (t.address === address) t.expiresAt = 0;
  }

  /** The user revoked access (or the testing-mode token expired): refreshes get invalid_grant. */
  revokeGrant(address: string): void {
    for (const r of this.refreshTokens.values()) if (r.address === address) r.revoked = true;
    this.expireAccessTokens(address);
  }

  async idToken(address: string, clientId: string): Promise<string> {
    const id = this.identities.get(address) ?? {};
    const now = Math.floor(this.opts.now() / 1000);
    const domain = address.split("@")[1] ?? "";
    const hd = id.hd === undefined ? (domain === "gmail.com" ? undefined : domain) : (id.hd ?? undefined);
    return signAsGoogle({
      iss: "https://accounts.google.com",
      azp: clientId,
      aud: clientId,
      sub: fakeSub(address),
      email: address,
      email_verified: id.emailVerified ?? true,
      at_hash: randomBytes(16).toString("base64url"),
      name: id.name ?? address.split("@")[0],
      picture: id.picture ?? "https://lh3.googleusercontent.com/a/fake=s96-c",
      ...(hd ? { hd } : {}),
      iat: now,
      exp: now + 3600,
    });
  }

  /** POST https://oauth2.googleapis.com/token */
  async token(form: URLSearchParams): Promise<Reply> {
    if (
      form.get("client_id") !== this.opts.clientId ||
      form.get("client_secret") !== this.opts.clientSecret
    ) {
      return {
        status: 401,
        body: { error: "invalid_client", error_description: "The OAuth client was not found." },
      };
    }
    const grant = form.get("grant_type");
    if (grant === "authorization_code") {
      const code = this.codes.get(form.get("code") ?? "");
      if (!code || code.used || code.expiresAt <= this.opts.now()) return grantError("Bad Request");
      code.used = true;
      if (code.redirectUri !== form.get("redirect_uri")) {
        return { status: 400, body: { error: "redirect_uri_mismatch", error_description: "Bad Request" } };
      }
      const verifier = form.get("code_verifier");
      if (code.challenge !== null && (verifier === null || s256Challenge(verifier) !== code.challenge)) {
        return grantError("Invalid code verifier.");
      }
      const refresh = code.refresh ? this.issueRefreshToken(code.address, code.scope) : null;
      return {
        status: 200,
        body: {
          access_token: this.issueAccessToken(code.address, 3599, refresh, code.scope),
          expires_in: 3599,
          ...(refresh ? { refresh_token: refresh } : {}),
          scope: code.scope,
          token_type: "Bearer",
          id_token: await this.idToken(code.address, code.clientId),
        },
      };
    }
    if (grant === "refresh_token") {
      const refresh = form.get("refresh_token") ?? "";
      const r = this.refreshTokens.get(refresh);
      if (!r || r.revoked) return grantError("Token has been expired or revoked.");
      return {
        status: 200,
        body: {
          access_token: this.issueAccessToken(r.address, 3599, refresh, r.scope),
          expires_in: 3599,
          scope: r.scope,
          token_type: "Bearer",
        },
      };
    }
    return {
      status: 400,
      body: { error: "unsupported_grant_type", error_description: `Invalid grant_type: ${grant}` },
    };
  }

  /** POST https://oauth2.googleapis.com/revoke: revoking either token revokes the whole grant. */
  revoke(tokenValue: string): Reply {
    const refresh = this.refreshTokens.get(tokenValue);
    const access = this.accessTokens.get(tokenValue);
    const refreshToken = refresh ? tokenValue : access?.refreshToken;
    const grant = refreshToken ? this.refreshTokens.get(refreshToken) : undefined;
    if ((!grant || grant.revoked) && (!access || access.expiresAt <= this.opts.now())) {
      return { status: 400, body: { error: "invalid_token", error_description: "Token expired or revoked" } };
    }
    if (grant) grant.revoked = true;
    if (access) access.expiresAt = 0;
    for (const t of this.accessTokens.values())
      if (refreshToken && t.refreshToken === refreshToken) t.expiresAt = 0;
    return { status: 200, body: {} };
  }
}
