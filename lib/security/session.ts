import { createHash } from "node:crypto";
import { EncryptJWT, jwtDecrypt, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { env } from "@/lib/env";

export const SESSION_COOKIE = "fa_session";
export const OAUTH_COOKIE = "fa_oauth";
export const SESSION_DAYS = 30;

const secretKey = (purpose: string) =>
  createHash("sha256").update(`${purpose}:${env.SESSION_SECRET}`).digest();

const sessionClaims = z.object({ sub: z.uuid(), org: z.uuid(), jti: z.uuid() });
/** What the cookie says: which session row (checked on every request), of which user. */
export type Session = { sessionId: string; userId: string; organizationId: string };

/**
 * Sessions are signed JWTs (HS256) in an httpOnly, SameSite=Lax cookie, Secure outside local
 * development. The token names a row of `sessions` (jti): a signature alone is not enough, the
 * row must be live (lib/http/session.ts), so logout and "sign out of all devices" take effect at
 * once, and a deleted account ends its sessions.
 */
export async function signSession(s: Session): Promise<string> {
  return new SignJWT({ org: s.organizationId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(s.userId)
    .setJti(s.sessionId)
    .setIssuedAt()
    .setExpirationTime(`${SESSION_DAYS}d`)
    .setIssuer("fluxasync")
    .setAudience("fluxasync:session")
    .sign(secretKey("session"));
}

export async function verifySession(token: string | undefined | null): Promise<Session | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, secretKey("session"), {
      algorithms: ["HS256"],
      issuer: "fluxasync",
      audience: "fluxasync:session",
    });
    const claims = sessionClaims.parse(payload);
    return { sessionId: claims.jti, userId: claims.sub, organizationId: claims.org };
  } catch {
    return null;
  }
}

export function cookieOptions(maxAgeSeconds: number) {
  return {
    httpOnly: true,
    secure: env.NODE_ENV === "production" || env.APP_URL.startsWith("https://"),
    sameSite: "lax" as const,
    path: "/",
    maxAge: maxAgeSeconds,
  };
}

export const SESSION_MAX_AGE = SESSION_DAYS * 24 * 3600;

const oauthFlowSchema = z.object({
  // Sign-in providers, and the CRMs connected from Settings (lib/http/crm-oauth.ts).
  provider: z.enum(["google", "microsoft", "hubspot", "zoho"]),
  state: z.string().min(16),
  verifier: z.string().min(43),
  returnTo: z.string().startsWith("/").optional(),
});
export type OAuthFlow = z.infer<typeof oauthFlowSchema>;

/** The OAuth state and PKCE verifier, encrypted in a 10-minute cookie (nothing stored server-side). */
export async function sealOAuthFlow(flow: OAuthFlow): Promise<string> {
  return new EncryptJWT({ ...flow })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime("10m")
    .encrypt(secretKey("oauth"));
}

export async function openOAuthFlow(token: string | undefined | null): Promise<OAuthFlow | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtDecrypt(token, secretKey("oauth"));
    return oauthFlowSchema.parse(payload);
  } catch {
    return null;
  }
}
