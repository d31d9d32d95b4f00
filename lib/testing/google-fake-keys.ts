import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  SignJWT,
} from "jose";

/** The `kid` Google's fake JWKS publishes. */
export const FAKE_GOOGLE_KID = "fake-google-2026";

type Keys = { google: CryptoKeyPair; unknown: CryptoKeyPair; jwks: JSONWebKeySet };
let keys: Promise<Keys> | undefined;

/**
 * One RSA key pair "owned by Google" per test process (shared by every fake, so jose's cached
 * remote key set stays valid across tests), and one nobody publishes, for forgeries.
 */
function fakeKeys(): Promise<Keys> {
  keys ??= (async () => {
    const google = await generateKeyPair("RS256", { extractable: true });
    const unknown = await generateKeyPair("RS256", { extractable: true });
    const jwk = await exportJWK(google.publicKey);
    return { google, unknown, jwks: { keys: [{ ...jwk, kid: FAKE_GOOGLE_KID, alg: "RS256", use: "sig" }] } };
  })();
  return keys;
}

/** The JSON served at https://www.googleapis.com/oauth2/v3/certs. */
export async function fakeGoogleJwksJson(): Promise<JSONWebKeySet> {
  return (await fakeKeys()).jwks;
}

/** A local key set with the same keys, for tests that inject `jwks` instead of going through msw. */
export async function fakeGoogleJwks(): Promise<JWTVerifyGetKey> {
  return createLocalJWKSet(await fakeGoogleJwksJson());
}

export type SignOptions = {
  /** "unknown": signed by a key Google does not publish (same `kid` unless `kid` is given). */
  signer?: "google" | "unknown";
  kid?: string;
};

/** Signs claims as Google would (RS256, JWT header with kid). */
export async function signAsGoogle(claims: JWTPayload, options: SignOptions = {}): Promise<string> {
  const k = await fakeKeys();
  const pair = options.signer === "unknown" ? k.unknown : k.google;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? FAKE_GOOGLE_KID, typ: "JWT" })
    .sign(pair.privateKey);
}
