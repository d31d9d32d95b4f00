import type { JWTVerifyGetKey } from "jose";
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
 * Verifies the OIDC bearer token Pub/Sub attaches to each push (subscription with authentication):
 * RS256 by Google, issuer, our audience, the push service account as `email`, `email_verified`,
 * not expired. Anything wrong throws `UnauthorizedError` (answer 401, store nothing); a Google key
 * set we cannot load throws `ProviderUnavailableError` (answer 5xx, Pub/Sub redelivers).
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
