import { createHash, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { type HttpHandler, HttpResponse, http } from "msw";
import { MICROSOFT_SCOPES } from "@/lib/mail/outlook/oauth";
import { graphPermissions } from "@/lib/testing/microsoft-fake-rules";
import {
  countCall,
  type FakeUser,
  type FakeWorld,
  LOGIN,
  mailboxOf,
  opaque,
} from "@/lib/testing/microsoft-fake-world";

/** Microsoft identity platform v2.0: authorize (simulated consent), token endpoint, JWKS, id_tokens. */

export type TokenError = { error: string; aadsts: number; description: string; status?: number };
export type IdTokenClaims = {
  tid: string;
  aud?: string;
  iss?: string;
  exp?: number;
  sub?: string;
  oid?: string;
  email?: string;
  preferred_username?: string;
  name?: string;
};

const KID = "fake-ms-key-1";
/** What a consent to our authorization request grants (tokens made without the browser dance). */
const GRAPH_SCOPES = MICROSOFT_SCOPES.join(" ");

// One signing key per process: verifiers cache the key set (jose refetches at most every 30 s).
let signingKey: Promise<{ privateKey: CryptoKey; jwk: JWK }> | null = null;
function keyPair(): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  signingKey ??= generateKeyPair("RS256", { extractable: true }).then(async ({ privateKey, publicKey }) => ({
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid: KID, use: "sig", kty: "RSA" },
  }));
  return signingKey;
}

/** The documented AADSTS error body: `error` to react on, the number only in the description. */
function aadError(e: TokenError) {
  const stamp = `${new Date().toISOString().replace("T", " ").slice(0, 19)}Z`;
  const trace = randomUUID();
  return HttpResponse.json(
    {
      error: e.error,
      error_description: `AADSTS${e.aadsts}: ${e.description}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${stamp}`,
      error_codes: [e.aadsts],
      timestamp: stamp,
      trace_id: trace,
      correlation_id: randomUUID(),
      error_uri: `${LOGIN}/error?code=${e.aadsts}`,
    },
    { status: e.status ?? 400 },
  );
}

const tokenBody = (scope: string, access: string, refresh: string, idToken?: string) => ({
  token_type: "Bearer",
  // Microsoft lists the granted scopes without offline_access.
  scope: scope.replace(/\s*offline_access/, "").trim(),
  expires_in: 3599,
  ext_expires_in: 3599,
  access_token: access,
  refresh_token: refresh,
  ...(idToken ? { id_token: idToken } : {}),
});

export function identityFake(world: FakeWorld) {
  const codes = new Map<string, { userOid: string; challenge: string; redirectUri: string; scope: string }>();
  const refreshTokens = new Map<
    string,
    { userOid: string; valid: boolean; revoked: boolean; scope: string }
  >();
  const tokenErrors: TokenError[] = [];

  function issueTokens(userOid: string, scope: string) {
    const access = opaque("EwB");
    const refresh = opaque("M.C5");
    world.accessTokens.set(access, {
      userOid,
      expiresAt: Date.now() + 3_600_000,
      permissions: graphPermissions(scope),
    });
    refreshTokens.set(refresh, { userOid, valid: true, revoked: false, scope });
    return { access, refresh };
  }

  async function mintIdToken(claims: IdTokenClaims, opts: { untrustedKey?: boolean } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const key = opts.untrustedKey
      ? (await generateKeyPair("RS256")).privateKey
      : (await keyPair()).privateKey;
    const { aud, iss, exp, ...rest } = claims;
    return new SignJWT({ ver: "2.0", oid: randomUUID(), sub: opaque(""), ...rest })
      .setProtectedHeader({ alg: "RS256", kid: KID, typ: "JWT" })
      .setIssuer(iss ?? `${LOGIN}/${claims.tid}/v2.0`)
      .setAudience(aud ?? world.clientId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(exp ?? now + 3600)
      .sign(key);
  }

  async function authorizationCodeGrant(form: URLSearchParams) {
    const key = form.get("code") ?? "";
    const code = codes.get(key);
    if (!code) {
      return aadError({
        error: "invalid_grant",
        aadsts: 54005,
        description: "OAuth2 Authorization code was already redeemed, please retry with a new valid code.",
      });
    }
    codes.delete(key);
    if (code.redirectUri !== form.get("redirect_uri")) {
      return aadError({
        error: "invalid_grant",
        aadsts: 50011,
        description:
          "The redirect URI specified in the request does not match the one of the authorization request.",
      });
    }
    if (
      createHash("sha256")
        .update(form.get("code_verifier") ?? "")
        .digest("base64url") !== code.challenge
    ) {
      return aadError({
        error: "invalid_grant",
        aadsts: 501481,
        description:
          "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
      });
    }
    const user = mailboxOf(world, code.userOid).user;
    const { access, refresh } = issueTokens(user.oid, code.scope);
    const idToken = await mintIdToken({
      tid: user.tid,
      oid: user.oid,
      sub: `sub-${user.oid}`,
      email: user.address,
      preferred_username: user.address,
      name: user.name,
    });
    return HttpResponse.json(tokenBody(code.scope, access, refresh, idToken));
  }

  function refreshTokenGrant(form: URLSearchParams) {
    const grant = refreshTokens.get(form.get("refresh_token") ?? "");
    if (grant?.revoked) {
      return aadError({
        error: "invalid_grant",
        aadsts: 50173,
        description: "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
      });
    }
    if (!grant?.valid) {
      return aadError({
        error: "invalid_grant",
        aadsts: 70000,
        description: "Provided grant is invalid or malformed.",
      });
    }
    grant.valid = false; // rotation: the spent refresh token no longer works
    const { access, refresh } = issueTokens(grant.userOid, grant.scope);
    return HttpResponse.json(tokenBody(form.get("scope") || grant.scope, access, refresh));
  }

  const handlers: HttpHandler[] = [
    http.post(`${LOGIN}/:tenant/oauth2/v2.0/token`, async ({ request }) => {
      await countCall(world, "token");
      const form = new URLSearchParams(await request.text());
      const injected = tokenErrors.shift();
      if (injected) return aadError(injected);
      if (form.get("client_id") !== world.clientId || form.get("client_secret") !== world.clientSecret) {
        return aadError({
          error: "invalid_client",
          aadsts: 7000215,
          description: "Invalid client secret provided.",
          status: 401,
        });
      }
      const grantType = form.get("grant_type");
      if (grantType === "authorization_code") return authorizationCodeGrant(form);
      if (grantType === "refresh_token") return refreshTokenGrant(form);
      return aadError({
        error: "unsupported_grant_type",
        aadsts: 70003,
        description: "The app requested an unsupported grant type.",
      });
    }),
    http.get(`${LOGIN}/:tenant/discovery/v2.0/keys`, async () => {
      await countCall(world, "jwks");
      const { jwk } = await keyPair();
      return HttpResponse.json({ keys: [{ ...jwk, issuer: `${LOGIN}/{tenantid}/v2.0` }] });
    }),
  ];

  return {
    handlers,
    /** The user signs in and consents to what our authorization URL asks; returns the callback URL. */
    approve(authorizationUrl: string, user: FakeUser): URL {
      const q = new URL(authorizationUrl).searchParams;
      if (q.get("client_id") !== world.clientId) throw new Error("microsoft-fake: unknown client_id");
      if (
        q.get("response_type") !== "code" ||
        q.get("code_challenge_method") !== "S256" ||
        !q.get("code_challenge")
      ) {
        throw new Error("microsoft-fake: the authorization request must use the code flow with PKCE S256");
      }
      const code = opaque("0.AAAA");
      codes.set(code, {
        userOid: user.oid,
        challenge: q.get("code_challenge") ?? "",
        redirectUri: q.get("redirect_uri") ?? "",
        scope: q.get("scope") ?? "",
      });
      const callback = new URL(q.get("redirect_uri") ?? "");
      callback.searchParams.set("code", code);
      const state = q.get("state");
      if (state !== null) callback.searchParams.set("state", state);
      callback.searchParams.set("session_state", randomUUID());
      return callback;
    },
    /**
     * Tokens without the browser dance, for tests that start from a connected mailbox: granted the
     * permissions our app asks for, or `scope` (space-separated, as in an authorize request).
     */
    tokensFor(user: FakeUser, scope: string = GRAPH_SCOPES): { accessToken: string; refreshToken: string } {
      const { access, refresh } = issueTokens(user.oid, scope);
      return { accessToken: access, refreshToken: refresh };
    },
    /** Graph then answers 401 InvalidAuthenticationToken to this user's access tokens. */
    expireAccessTokens(user: FakeUser): void {
      for (const t of world.accessTokens.values()) if (t.userOid === user.oid) t.expiresAt = 0;
    },
    /** Password reset or consent withdrawn: every refresh fails with invalid_grant AADSTS50173. */
    revokeGrant(user: FakeUser): void {
      for (const t of refreshTokens.values()) if (t.userOid === user.oid) t.revoked = true;
    },
    /** The next token request fails with this error (e.g. interaction_required / 50076). */
    failNextToken(error: TokenError): void {
      tokenErrors.push(error);
    },
    mintIdToken,
    /** The public key set, for `createLocalJWKSet`. */
    async jwks(): Promise<{ keys: JWK[] }> {
      return { keys: [(await keyPair()).jwk] };
    },
  };
}
