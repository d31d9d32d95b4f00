import type { JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { UnauthorizedError } from "@/lib/mail/errors";
import { remoteJwks } from "@/lib/mail/oauth/remote-jwks";
import { verifyJwt } from "@/lib/mail/oauth/verify-jwt";
import { MICROSOFT_LOGIN } from "@/lib/mail/outlook/oauth";

/** The one key set for every tenant (work, school and personal accounts) on the v2.0 endpoint. */
export const MICROSOFT_JWKS_URL = `${MICROSOFT_LOGIN}/common/discovery/v2.0/keys`;

/** The tenant of every personal Microsoft account (Outlook.com, Hotmail, Live). */
export const MICROSOFT_PERSONAL_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad";

const claimsSchema = z.object({
  iss: z.string(),
  sub: z.string().min(1),
  tid: z.guid(),
  oid: z.string().min(1).optional(),
  email: z.string().optional(),
  preferred_username: z.string().optional(),
  name: z.string().optional(),
});

export type MicrosoftIdentity = {
  /** Pairwise subject (per app): stable, the key to match a returning user with `tid`. */
  sub: string;
  /** Object id of the user in their tenant, when Microsoft sends it. */
  oid: string | null;
  tid: string;
  personal: boolean;
  /** `email`, else `preferred_username` when it looks like an address; lower-cased. Not proof of ownership. */
  email: string | null;
  name: string | null;
};

function emailOf(claims: z.infer<typeof claimsSchema>): string | null {
  for (const candidate of [claims.email, claims.preferred_username]) {
    const value = candidate?.trim().toLowerCase();
    if (value && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return value;
  }
  return null;
}

/** Our configured tenant restricts which `tid` may sign in ("common" lets everyone in). */
function tenantAllowed(configured: string, tid: string): boolean {
  const tenant = configured.toLowerCase();
  if (tenant === "common") return true;
  if (tenant === "consumers") return tid === MICROSOFT_PERSONAL_TENANT_ID;
  if (tenant === "organizations") return tid !== MICROSOFT_PERSONAL_TENANT_ID;
  return tenant === tid.toLowerCase();
}

/**
 * Verifies a v2.0 id_token: RS256 signature against Microsoft's key set, audience = our client id,
 * expiry, and the multi-tenant issuer rule — with the `common` endpoint the issuer cannot be fixed in
 * advance, so it must equal `https://login.microsoftonline.com/{tid}/v2.0` for the token's own `tid`.
 * Any failure is `UnauthorizedError`; an unreachable key set is `ProviderUnavailableError`.
 */
export async function verifyMicrosoftIdToken(
  idToken: string,
  options: { clientId: string; tenant?: string; jwks?: JWTVerifyGetKey },
): Promise<MicrosoftIdentity> {
  const payload = await verifyJwt("outlook", idToken, options.jwks ?? remoteJwks(MICROSOFT_JWKS_URL), {
    audience: options.clientId,
    algorithms: ["RS256"],
    requiredClaims: ["exp", "iat", "iss", "sub", "tid"],
    clockTolerance: 60,
  });
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) throw new UnauthorizedError("id_token claims malformed");
  const claims = parsed.data;
  if (claims.iss !== `${MICROSOFT_LOGIN}/${claims.tid}/v2.0`) {
    throw new UnauthorizedError("id_token issuer does not match its tenant");
  }
  if (!tenantAllowed(options.tenant ?? "common", claims.tid)) {
    throw new UnauthorizedError("id_token tenant not allowed");
  }
  return {
    sub: claims.sub,
    oid: claims.oid ?? null,
    tid: claims.tid,
    personal: claims.tid === MICROSOFT_PERSONAL_TENANT_ID,
    email: emailOf(claims),
    name: claims.name?.trim() ? claims.name.trim() : null,
  };
}
