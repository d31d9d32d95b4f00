import { beforeEach, describe, expect, it } from "vitest";
import { ProviderUnavailableError, ReconnectRequiredError, UnauthorizedError } from "@/lib/mail/errors";
import {
  exchangeGoogleCode,
  googleAuthorizationUrl,
  missingGoogleScopes,
  refreshGoogleToken,
  revokeGoogleToken,
  verifyGoogleIdToken,
} from "@/lib/mail/gmail/oauth";
import { createPkce, randomState } from "@/lib/mail/oauth/pkce";
import { createGoogleFake, type GoogleFake } from "@/lib/testing/google-fake";
import { server } from "@/lib/testing/msw";

const redirectUri = "https://app.fluxasync.test/api/auth/google/callback";
let fake: GoogleFake;

beforeEach(() => {
  fake = createGoogleFake();
  server.use(...fake.handlers);
});

function startUrl(needRefreshToken = true, loginHint?: string) {
  const pkce = createPkce();
  const state = randomState();
  const url = googleAuthorizationUrl({
    clientId: fake.clientId,
    redirectUri,
    state,
    codeChallenge: pkce.challenge,
    loginHint,
    needRefreshToken,
  });
  return { url, pkce, state };
}

const client = () => ({ clientId: fake.clientId, clientSecret: fake.clientSecret });

describe("googleAuthorizationUrl", () => {
  it("asks Google for a code with state, PKCE S256, minimal scopes and offline access", () => {
    const { url, pkce, state } = startUrl(true, "awa@ecobank.ci");
    const u = new URL(url);
    expect(`${u.origin}${u.pathname}`).toBe("https://accounts.google.com/o/oauth2/v2/auth");
    const q = u.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe(fake.clientId);
    expect(q.get("redirect_uri")).toBe(redirectUri);
    expect(q.get("state")).toBe(state);
    expect(q.get("code_challenge")).toBe(pkce.challenge);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("scope")?.split(" ")).toEqual([
      "openid",
      "email",
      "profile",
      "https://www.googleapis.com/auth/gmail.modify",
    ]);
    expect(q.get("access_type")).toBe("offline");
    expect(q.get("include_granted_scopes")).toBe("true");
    expect(q.get("prompt")).toBe("consent");
    expect(q.get("login_hint")).toBe("awa@ecobank.ci");
    expect(url).not.toContain(pkce.verifier);
  });

  it("leaves out prompt=consent when a refresh token is already stored", () => {
    const q = new URL(startUrl(false).url).searchParams;
    expect(q.has("prompt")).toBe(false);
    expect(q.has("login_hint")).toBe(false);
  });
});

describe("exchangeGoogleCode", () => {
  it("trades the code and verifier for tokens and an id_token naming the user", async () => {
    const { url, pkce, state } = startUrl();
    const callback = new URL(
      fake.consent(url, { address: "Awa@Ecobank.ci", identity: { name: "Awa Traoré" } }),
    );
    expect(callback.searchParams.get("state")).toBe(state);
    const code = callback.searchParams.get("code") ?? "";
    const before = Date.now();
    const { tokens, idToken } = await exchangeGoogleCode({
      ...client(),
      code,
      codeVerifier: pkce.verifier,
      redirectUri,
    });
    expect(tokens.accessToken).toMatch(/^ya29\./);
    expect(tokens.refreshToken).toMatch(/^1\/\//);
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + 3_590_000);
    expect(missingGoogleScopes(tokens.scope)).toEqual([]);
    const who = await verifyGoogleIdToken(idToken, { clientId: fake.clientId });
    expect(who).toMatchObject({
      email: "awa@ecobank.ci",
      emailVerified: true,
      name: "Awa Traoré",
      hd: "ecobank.ci",
    });
    expect(who.sub).toMatch(/^\d{21}$/);
  });

  it("gets no new refresh token on a later sign-in without prompt=consent", async () => {
    const first = startUrl();
    const c1 = new URL(fake.consent(first.url, { address: "kofi@gmail.com" })).searchParams.get("code") ?? "";
    await exchangeGoogleCode({ ...client(), code: c1, codeVerifier: first.pkce.verifier, redirectUri });
    const again = startUrl(false);
    const c2 = new URL(fake.consent(again.url, { address: "kofi@gmail.com" })).searchParams.get("code") ?? "";
    const { tokens, idToken } = await exchangeGoogleCode({
      ...client(),
      code: c2,
      codeVerifier: again.pkce.verifier,
      redirectUri,
    });
    expect(tokens.refreshToken).toBeNull();
    expect((await verifyGoogleIdToken(idToken, { clientId: fake.clientId })).hd).toBeNull();
  });

  it("rejects a wrong PKCE verifier and a replayed code as invalid_grant", async () => {
    const { url, pkce } = startUrl();
    const code = new URL(fake.consent(url, { address: "awa@ecobank.ci" })).searchParams.get("code") ?? "";
    const wrong = exchangeGoogleCode({ ...client(), code, codeVerifier: createPkce().verifier, redirectUri });
    await expect(wrong).rejects.toBeInstanceOf(ReconnectRequiredError);
    const replay = exchangeGoogleCode({ ...client(), code, codeVerifier: pkce.verifier, redirectUri });
    await expect(replay).rejects.toMatchObject({ provider: "gmail", reason: "invalid_grant" });
  });

  it("reports the Gmail scope the user unticked", async () => {
    const { url, pkce } = startUrl();
    const callback = fake.consent(url, {
      address: "awa@ecobank.ci",
      grantedScopes: ["openid", "email", "profile"],
    });
    const code = new URL(callback).searchParams.get("code") ?? "";
    const { tokens } = await exchangeGoogleCode({
      ...client(),
      code,
      codeVerifier: pkce.verifier,
      redirectUri,
    });
    expect(missingGoogleScopes(tokens.scope)).toEqual(["https://www.googleapis.com/auth/gmail.modify"]);
    expect(
      missingGoogleScopes(
        "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile https://www.googleapis.com/auth/gmail.modify",
      ),
    ).toEqual([]);
  });

  it("passes on a denied consent as the callback's error", () => {
    const callback = new URL(fake.consent(startUrl().url, { address: "awa@ecobank.ci", deny: true }));
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.has("code")).toBe(false);
  });
});

describe("refreshGoogleToken", () => {
  it("returns a new access token and keeps the stored refresh token (none rotated)", async () => {
    const refreshToken = fake.refreshToken("awa@ecobank.ci");
    const tokens = await refreshGoogleToken({ ...client(), refreshToken });
    expect(tokens.accessToken).toMatch(/^ya29\./);
    expect(tokens.refreshToken).toBeNull();
    expect(tokens.scope).toContain("gmail.modify");
  });

  it("turns invalid_grant (revoked access) into ReconnectRequiredError", async () => {
    const refreshToken = fake.refreshToken("awa@ecobank.ci");
    fake.revokeGrant("awa@ecobank.ci");
    const error = await refreshGoogleToken({ ...client(), refreshToken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReconnectRequiredError);
    expect(error).toMatchObject({ code: "reconnect_required", provider: "gmail", reason: "invalid_grant" });
  });

  it("treats a 5xx from the token endpoint as retryable", async () => {
    fake.fail("token", { status: 503 });
    const refreshToken = fake.refreshToken("awa@ecobank.ci");
    await expect(refreshGoogleToken({ ...client(), refreshToken })).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
    await expect(refreshGoogleToken({ ...client(), refreshToken })).resolves.toMatchObject({
      refreshToken: null,
    });
  });
});

describe("revokeGoogleToken", () => {
  it("revokes the grant and is idempotent", async () => {
    const refreshToken = fake.refreshToken("awa@ecobank.ci");
    await revokeGoogleToken(refreshToken);
    await expect(refreshGoogleToken({ ...client(), refreshToken })).rejects.toBeInstanceOf(
      ReconnectRequiredError,
    );
    await expect(revokeGoogleToken(refreshToken)).resolves.toBeUndefined();
    expect(fake.calls("revoke")).toBe(2);
  });
});

describe("verifyGoogleIdToken", () => {
  const address = "awa@ecobank.ci";

  it("accepts both issuer spellings", async () => {
    const token = await fake.mintIdToken({ address, issuer: "accounts.google.com" });
    await expect(verifyGoogleIdToken(token, { clientId: fake.clientId })).resolves.toMatchObject({
      email: address,
    });
  });

  it.each([
    ["another client's token", { audience: "someone-else.apps.googleusercontent.com" }],
    ["an expired token", { expiresInSeconds: -120 }],
    ["a forged issuer", { issuer: "https://evil.example" }],
    ["a key Google does not publish", { signer: "unknown" as const }],
    ["an unknown kid", { signer: "unknown" as const, kid: "rogue" }],
  ])("rejects %s", async (_label, overrides) => {
    const token = await fake.mintIdToken({ address, ...overrides });
    await expect(verifyGoogleIdToken(token, { clientId: fake.clientId })).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });

  it("works with an injected key set and never without a client id", async () => {
    const token = await fake.mintIdToken({ address });
    const jwks = await fake.localJwks();
    await expect(verifyGoogleIdToken(token, { clientId: fake.clientId, jwks })).resolves.toMatchObject({
      email: address,
    });
    await expect(verifyGoogleIdToken(token, { clientId: "" })).rejects.toThrow(/clientId/);
  });
});
