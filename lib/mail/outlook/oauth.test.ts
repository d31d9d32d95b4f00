import { beforeEach, describe, expect, it } from "vitest";
import { ProviderRequestError, ProviderUnavailableError, ReconnectRequiredError } from "@/lib/mail/errors";
import { createPkce, randomState } from "@/lib/mail/oauth/pkce";
import {
  exchangeMicrosoftCode,
  type MicrosoftOAuthConfig,
  microsoftAuthorizationUrl,
  refreshMicrosoftToken,
} from "@/lib/mail/outlook/oauth";
import { createMicrosoftFake } from "@/lib/testing/microsoft-fake";
import { server } from "@/lib/testing/msw";

const ms = createMicrosoftFake();
const config: MicrosoftOAuthConfig = {
  clientId: ms.clientId,
  clientSecret: ms.clientSecret,
  redirectUri: "https://app.fluxasync.test/api/auth/microsoft/callback",
};

beforeEach(() => {
  server.use(...ms.handlers);
});

async function signIn(address = "awa.diallo@contoso-ci.com") {
  const user = ms.addUser({ address });
  const pkce = createPkce();
  const state = randomState();
  const url = microsoftAuthorizationUrl({ ...config, state, codeChallenge: pkce.challenge });
  const callback = ms.approve(url, user);
  return { user, pkce, state, callback };
}

describe("microsoftAuthorizationUrl", () => {
  it("asks for the code flow with PKCE S256, state, offline access and the mail scopes", () => {
    const url = new URL(
      microsoftAuthorizationUrl({
        clientId: "app-id",
        redirectUri: "https://app.fluxasync.test/cb",
        state: "st4te",
        codeChallenge: "chall",
        loginHint: "awa@contoso.com",
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(
      "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    );
    const q = url.searchParams;
    expect(q.get("client_id")).toBe("app-id");
    expect(q.get("response_type")).toBe("code");
    expect(q.get("response_mode")).toBe("query");
    expect(q.get("redirect_uri")).toBe("https://app.fluxasync.test/cb");
    expect(q.get("state")).toBe("st4te");
    expect(q.get("code_challenge")).toBe("chall");
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("login_hint")).toBe("awa@contoso.com");
    expect(q.get("scope")?.split(" ")).toEqual([
      "openid",
      "email",
      "profile",
      "offline_access",
      "https://graph.microsoft.com/Mail.ReadWrite",
      "https://graph.microsoft.com/User.Read",
    ]);
  });

  it("targets the configured tenant", () => {
    const url = microsoftAuthorizationUrl({
      clientId: "app-id",
      tenant: "organizations",
      redirectUri: "https://app.fluxasync.test/cb",
      state: "s",
      codeChallenge: "c",
    });
    expect(url.startsWith("https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?")).toBe(
      true,
    );
  });
});

describe("exchangeMicrosoftCode", () => {
  it("redeems the code with the PKCE verifier for tokens and an id_token", async () => {
    const { pkce, state, callback } = await signIn();
    expect(callback.searchParams.get("state")).toBe(state);
    const { tokens, idToken } = await exchangeMicrosoftCode(config, {
      code: callback.searchParams.get("code") ?? "",
      codeVerifier: pkce.verifier,
    });
    expect(tokens.accessToken).toMatch(/^EwB/);
    expect(tokens.refreshToken).toMatch(/^M\.C5/);
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(tokens.scope).toContain("Mail.ReadWrite");
    expect(idToken.split(".")).toHaveLength(3);
  });

  it("fails with reconnect_required when the verifier does not match (or the code was used)", async () => {
    const { callback, pkce } = await signIn();
    const code = callback.searchParams.get("code") ?? "";
    await expect(
      exchangeMicrosoftCode(config, { code, codeVerifier: createPkce().verifier }),
    ).rejects.toBeInstanceOf(ReconnectRequiredError);
    await expect(exchangeMicrosoftCode(config, { code, codeVerifier: pkce.verifier })).rejects.toMatchObject({
      code: "reconnect_required",
      reason: "invalid_grant",
    });
  });

  it("reports a wrong client secret as a configuration error, not a reconnect", async () => {
    const { callback, pkce } = await signIn();
    const error = await exchangeMicrosoftCode(
      { ...config, clientSecret: "wrong" },
      { code: callback.searchParams.get("code") ?? "", codeVerifier: pkce.verifier },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect(error).toMatchObject({ status: 401, reason: "invalid_client" });
  });
});

describe("refreshMicrosoftToken", () => {
  it("returns the rotated refresh token, and the spent one no longer works", async () => {
    const user = ms.addUser({ address: "kofi@contoso-ci.com" });
    const { refreshToken } = ms.tokensFor(user);
    const first = await refreshMicrosoftToken(config, refreshToken);
    expect(first.refreshToken).toBeTruthy();
    expect(first.refreshToken).not.toBe(refreshToken);

    await expect(refreshMicrosoftToken(config, refreshToken)).rejects.toBeInstanceOf(ReconnectRequiredError);
    const second = await refreshMicrosoftToken(config, first.refreshToken ?? "");
    expect(second.accessToken).not.toBe(first.accessToken);
  });

  it.each([
    ["invalid_grant", 700082, "The refresh token has expired due to inactivity."],
    ["invalid_grant", 65001, "The user or administrator has not consented to use the application."],
    [
      "interaction_required",
      50076,
      "Due to a configuration change made by your administrator, you must use MFA.",
    ],
  ])("maps %s (AADSTS%i) to ReconnectRequiredError", async (error, aadsts, description) => {
    const user = ms.addUser({ address: "ama@contoso-ci.com" });
    ms.failNextToken({ error, aadsts, description });
    const failure = await refreshMicrosoftToken(config, ms.tokensFor(user).refreshToken).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ReconnectRequiredError);
    expect(failure).toMatchObject({ provider: "outlook", reason: error });
  });

  it("maps a revoked grant (AADSTS50173) to ReconnectRequiredError", async () => {
    const user = ms.addUser({ address: "yao@contoso-ci.com" });
    const { refreshToken } = ms.tokensFor(user);
    ms.revokeGrant(user);
    await expect(refreshMicrosoftToken(config, refreshToken)).rejects.toBeInstanceOf(ReconnectRequiredError);
  });

  it("treats temporarily_unavailable as a retryable outage", async () => {
    const user = ms.addUser({ address: "eli@contoso-ci.com" });
    ms.failNextToken({
      error: "temporarily_unavailable",
      aadsts: 90033,
      description: "A transient error has occurred.",
    });
    await expect(refreshMicrosoftToken(config, ms.tokensFor(user).refreshToken)).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
  });
});
