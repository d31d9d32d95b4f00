import { decodeJwt, decodeProtectedHeader, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { UnauthorizedError } from "@/lib/mail/errors";
import { GOOGLE_CERTS_URL, GOOGLE_ISSUERS } from "@/lib/mail/gmail/google-endpoints";
import { remoteJwks } from "@/lib/mail/oauth/remote-jwks";
import { verifyJwt } from "@/lib/mail/oauth/verify-jwt";

const pushClaimsSchema = z.object({
  email: z.string(),
  email_verified: z.literal(true),
  sub: z.string().optional(),
});

export type PubSubPushClaims = { email: string; sub: string | null };

/**
 * What can be refused before Google's keys are needed: a token that is not a JWT, is not RS256,
 * names another audience, issuer or service account, or has expired. None of this is trusted —
 * the signature check still runs on whatever passes — but a forged push that does not even claim
 * to be ours is a 401 even while Google's key set cannot be fetched, never a 5xx, and costs no
 * outbound request.
 */
function refuseWithoutKeys(token: string, expected: { audience: string; serviceAccountEmail: string }) {
  let claims: ReturnType<typeof decodeJwt>;
  let alg: string | undefined;
  try {
    claims = decodeJwt(token);
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new UnauthorizedError("malformed token");
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (alg !== "RS256") throw new UnauthorizedError("algorithm not allowed");
  if (!audiences.includes(expected.audience)) throw new UnauthorizedError('claim "aud" check failed');
  if (!GOOGLE_ISSUERS.includes(String(claims.iss))) throw new UnauthorizedError('claim "iss" check failed');
  if (String(claims.email ?? "").toLowerCase() !== expected.serviceAccountEmail.toLowerCase()) {
    throw new UnauthorizedError("unexpected service account");
  }
  if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now() - 10_000) {
    throw new UnauthorizedError("token expired");
  }
}

/**
 * Verifies the OIDC bearer token Pub/Sub attaches to each push (subscription with authentication):
 * RS256 by Google, issuer, our audience, the push service account as `email`, `email_verified`,
 * not expired. Anything wrong throws `UnauthorizedError` (answer 401, store nothing); a Google key
 * set we cannot load throws `ProviderUnavailableError` — only for a token whose claims are ours,
 * which is then answered 503 so Pub/Sub redelivers the (probably genuine) push.
 * Empty expectations are a configuration bug and throw, so no check is ever skipped.
 */
export async function verifyPubSubToken(
  authorizationHeader: string | null,
  options: { audience: string; serviceAccountEmail: string; jwks?: JWTVerifyGetKey },
): Promise<PubSubPushClaims> {
  if (!options.audience || !options.serviceAccountEmail) {
    throw new Error("verifyPubSubToken: audience and serviceAccountEmail must be configured");
  }
  const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i.exec(
    authorizationHeader?.trim() ?? "",
  );
  if (!match?.[1]) throw new UnauthorizedError("missing or malformed bearer token");
  refuseWithoutKeys(match[1], options);
  const payload = await verifyJwt("gmail", match[1], options.jwks ?? remoteJwks(GOOGLE_CERTS_URL), {
    algorithms: ["RS256"],
    issuer: GOOGLE_ISSUERS,
    audience: options.audience,
    requiredClaims: ["exp", "iat", "email"],
    clockTolerance: 10,
  });
  const claims = pushClaimsSchema.safeParse(payload);
  if (!claims.success) throw new UnauthorizedError("email not verified");
  if (claims.data.email.toLowerCase() !== options.serviceAccountEmail.toLowerCase()) {
    throw new UnauthorizedError("unexpected service account");
  }
  return { email: claims.data.email, sub: claims.data.sub ?? null };
}
