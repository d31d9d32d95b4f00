import { createLocalJWKSet } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { UnauthorizedError } from "@/lib/mail/errors";
import { createPkce, randomState } from "@/lib/mail/oauth/pkce";
import { MICROSOFT_PERSONAL_TENANT_ID, verifyMicrosoftIdToken } from "@/lib/mail/outlook/id-token";
import { exchangeMicrosoftCode, microsoftAuthorizationUrl } from "@/lib/mail/outlook/oauth";
import { createMicrosoftFake, FAKE_WORK_TENANT_ID } from "@/lib/testing/microsoft-fake";
import { server } from "@/lib/testing/msw";

const ms = createMicrosoftFake();
const clientId = ms.clientId;
const OTHER_TENANT = "0b6d2a3c-4e5f-4a1b-9c8d-7e6f5a4b3c2d";

beforeEach(() => {
  server.use(...ms.handlers);
});

describe("sign-up with Microsoft", () => {
  it.each([
    ["a work account", { address: "awa.diallo@contoso-ci.com" }, FAKE_WORK_TENANT_ID],
    [
      "a personal Outlook.com account",
      { address: "kouame@outlook.com", personal: true },
      MICROSOFT_PERSONAL_TENANT_ID,
    ],
  ])("verifies the id_token of %s against Microsoft's key set", async (_label, account, tid) => {
    const user = ms.addUser({ ...account, name: "Awa Diallo" });
    const pkce = createPkce();
    const redirectUri = "https://app.fluxasync.test/api/auth/microsoft/callback";
    const url = microsoftAuthorizationUrl({
      clientId,
      redirectUri,
      state: randomState(),
      codeChallenge: pkce.challenge,
    });
    const code = ms.approve(url, user).searchParams.get("code") ?? "";
    const { idToken } = await exchangeMicrosoftCode(
      { clientId, clientSecret: ms.clientSecret, redirectUri },
      { code, codeVerifier: pkce.verifier },
    );

    const identity = await verifyMicrosoftIdToken(idToken, { clientId });
    expect(identity).toEqual({
      sub: `sub-${user.oid}`,
      oid: user.oid,
      tid,
      personal: tid === MICROSOFT_PERSONAL_TENANT_ID,
      email: account.address,
      name: "Awa Diallo",
    });
    expect(ms.calls.jwks).toBeGreaterThanOrEqual(1);
  });
});

describe("verifyMicrosoftIdToken", () => {
  const reject = async (token: Promise<string>, options: { tenant?: string; clientId?: string } = {}) => {
    const error = await verifyMicrosoftIdToken(await token, { clientId, ...options }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    return error as UnauthorizedError;
  };

  it("falls back to preferred_username for the email", async () => {
    const token = await ms.mintIdToken({ tid: OTHER_TENANT, preferred_username: "Moussa@Fabrikam.CI" });
    const identity = await verifyMicrosoftIdToken(token, {
      clientId,
      jwks: createLocalJWKSet(await ms.jwks()),
    });
    expect(identity.email).toBe("moussa@fabrikam.ci");
    expect(identity.tid).toBe(OTHER_TENANT);
  });

  it("rejects an issuer that is not the token's own tenant (multi-tenant issuer rule)", async () => {
    const error = await reject(
      ms.mintIdToken({
        tid: FAKE_WORK_TENANT_ID,
        iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`,
      }),
    );
    expect(error.reason).toMatch(/issuer/);
  });

  it("rejects the templated common issuer and a v1 issuer", async () => {
    await reject(
      ms.mintIdToken({ tid: FAKE_WORK_TENANT_ID, iss: "https://login.microsoftonline.com/{tenantid}/v2.0" }),
    );
    await reject(
      ms.mintIdToken({ tid: FAKE_WORK_TENANT_ID, iss: `https://sts.windows.net/${FAKE_WORK_TENANT_ID}/` }),
    );
  });

  it("rejects another application's token, an expired token and a foreign signature", async () => {
    const aud = await reject(ms.mintIdToken({ tid: FAKE_WORK_TENANT_ID, aud: "another-app" }));
    expect(aud.reason).toMatch(/aud/);
    const expired = await reject(
      ms.mintIdToken({ tid: FAKE_WORK_TENANT_ID, exp: Math.floor(Date.now() / 1000) - 600 }),
    );
    expect(expired.reason).toMatch(/expired/);
    const forged = await reject(ms.mintIdToken({ tid: FAKE_WORK_TENANT_ID }, { untrustedKey: true }));
    expect(forged.reason).toMatch(/signature/);
  });

  it("honours a tenant restriction", async () => {
    const personal = ms.mintIdToken({ tid: MICROSOFT_PERSONAL_TENANT_ID });
    await reject(personal, { tenant: "organizations" });
    await reject(ms.mintIdToken({ tid: OTHER_TENANT }), { tenant: FAKE_WORK_TENANT_ID });
    const ok = await verifyMicrosoftIdToken(await ms.mintIdToken({ tid: FAKE_WORK_TENANT_ID }), {
      clientId,
      tenant: FAKE_WORK_TENANT_ID,
    });
    expect(ok.personal).toBe(false);
  });
});
