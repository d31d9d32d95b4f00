import { createRemoteJWKSet } from "jose";
import { HttpResponse, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { ProviderUnavailableError, UnauthorizedError } from "@/lib/mail/errors";
import { verifyPubSubToken } from "@/lib/mail/gmail/push-token";
import { createGoogleFake, type GoogleFake } from "@/lib/testing/google-fake";
import { server } from "@/lib/testing/msw";

let fake: GoogleFake;
const expected = () => ({ audience: fake.pushAudience, serviceAccountEmail: fake.pushServiceAccount });

beforeEach(() => {
  fake = createGoogleFake();
  server.use(...fake.handlers);
});

describe("verifyPubSubToken", () => {
  it("accepts the push service account's token for our audience", async () => {
    const token = await fake.mintPushToken();
    await expect(verifyPubSubToken(`Bearer ${token}`, expected())).resolves.toEqual({
      email: fake.pushServiceAccount,
      sub: "113774264823484979386",
    });
    expect(fake.calls("certs")).toBeLessThanOrEqual(1);
  });

  it.each([
    ["no header", null],
    ["an empty header", ""],
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["garbage", "Bearer not-a-jwt"],
    ["a three-part token that is not a JWT", "Bearer aaa.bbb.ccc"],
  ])("rejects %s", async (_label, header) => {
    await expect(verifyPubSubToken(header, expected())).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it.each([
    ["a key Google does not publish", { signer: "unknown" as const }],
    ["an unknown kid", { signer: "unknown" as const, kid: "rogue-kid" }],
    ["another audience", { audience: "https://attacker.example/push" }],
    ["another service account", { email: "attacker@evil-project.iam.gserviceaccount.com" }],
    ["an unverified email", { emailVerified: false }],
    ["an expired token", { expiresInSeconds: -60 }],
    ["a foreign issuer", { issuer: "https://sts.windows.net/x/" }],
  ])("rejects %s", async (_label, overrides) => {
    const token = await fake.mintPushToken(overrides);
    const error = await verifyPubSubToken(`Bearer ${token}`, expected()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).message).not.toContain(token);
  });

  it("refuses to run with an unset expectation instead of skipping the check", async () => {
    const token = await fake.mintPushToken();
    await expect(
      verifyPubSubToken(`Bearer ${token}`, { audience: "", serviceAccountEmail: "x@y.z" }),
    ).rejects.toThrow(/must be configured/);
  });

  it("works with an injected key set, without fetching Google's certs", async () => {
    const token = await fake.mintPushToken();
    const jwks = await fake.localJwks();
    await expect(verifyPubSubToken(`bearer ${token}`, { ...expected(), jwks })).resolves.toMatchObject({
      email: fake.pushServiceAccount,
    });
  });

  it("says unavailable (so Pub/Sub retries) when Google's key set cannot be loaded", async () => {
    server.use(http.get("https://keys.example/certs", () => HttpResponse.text("oops", { status: 500 })));
    const jwks = createRemoteJWKSet(new URL("https://keys.example/certs"));
    const token = await fake.mintPushToken();
    await expect(verifyPubSubToken(`Bearer ${token}`, { ...expected(), jwks })).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
  });

  it("refuses a forged token that does not claim to be ours without fetching keys, even when they are unreachable", async () => {
    let fetched = 0;
    server.use(
      http.get("https://keys.example/certs", () => {
        fetched++;
        return HttpResponse.error();
      }),
    );
    const jwks = createRemoteJWKSet(new URL("https://keys.example/certs"));
    for (const overrides of [
      { audience: "https://attacker.example/push" },
      { email: "attacker@evil-project.iam.gserviceaccount.com" },
      { issuer: "https://evil.example" },
      { expiresInSeconds: -600 },
    ]) {
      const token = await fake.mintPushToken(overrides);
      await expect(verifyPubSubToken(`Bearer ${token}`, { ...expected(), jwks })).rejects.toBeInstanceOf(
        UnauthorizedError,
      );
    }
    expect(fetched).toBe(0);
  });
});
