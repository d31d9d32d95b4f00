import { cookies } from "next/headers";
import type { SessionUser } from "@/lib/db/accounts";
import { db } from "@/lib/db/client";
import type { Db } from "@/lib/db/port";
import {
  type ResolvedSession,
  replaceSession,
  resolveSession,
  revokeSession,
  rotateSession,
  startSession,
} from "@/lib/db/sessions";
import { requestCookie } from "@/lib/http/request-cookie";
import {
  cookieOptions,
  SESSION_COOKIE,
  SESSION_DAYS,
  SESSION_MAX_AGE,
  signSession,
  verifySession,
} from "@/lib/security/session";

/** A session older than this gets a new id wherever the response can set a cookie. */
export const SESSION_ROTATE_AFTER_SECONDS = 12 * 3600;

export type SessionCookie = { name: string; value: string; options: ReturnType<typeof cookieOptions> };

/** The live session a token names: signature, then the row (not revoked or expired, same user). */
async function resolveToken(database: Db, token: string | null | undefined): Promise<ResolvedSession | null> {
  const claims = await verifySession(token);
  if (!claims) return null;
  const session = await resolveSession(database, claims.sessionId, SESSION_ROTATE_AFTER_SECONDS);
  return session && session.userId === claims.userId && session.organizationId === claims.organizationId
    ? session
    : null;
}

const cookieFor = async (s: { sessionId: string; userId: string; organizationId: string }) => ({
  name: SESSION_COOKIE,
  value: await signSession(s),
  options: cookieOptions(SESSION_MAX_AGE),
});

/** The cookie that ends a session in the browser (the row is revoked separately). */
export const clearedSessionCookie = (): SessionCookie => ({
  name: SESSION_COOKIE,
  value: "",
  options: cookieOptions(0),
});

/**
 * Signs a user in: a new session row and its cookie. The session the browser still held, if any,
 * ends, so a sign-in never keeps (or adopts) an older id.
 */
export async function openSession(
  database: Db,
  account: { userId: string; organizationId: string },
  previousToken: string | null,
): Promise<SessionCookie> {
  const previous = await verifySession(previousToken);
  if (previous) await replaceSession(database, previous.sessionId);
  const { sessionId } = await startSession(database, { ...account, days: SESSION_DAYS });
  return cookieFor({ ...account, sessionId });
}

/** A new id for a session that is due for one, as the cookie to set; null when not due. */
export async function rotateIfDue(database: Db, session: ResolvedSession): Promise<SessionCookie | null> {
  if (!session.rotateDue) return null;
  const next = await rotateSession(database, session.sessionId, SESSION_DAYS);
  return cookieFor({ ...session, sessionId: next.sessionId });
}

/** Logout: the token's session ends in the database (all of the user's with `everywhere`). */
export async function endSession(database: Db, token: string | null, everywhere = false): Promise<void> {
  const claims = await verifySession(token);
  if (claims) await revokeSession(database, claims.sessionId, everywhere);
}

/** The signed-in session of a route handler request, or null. */
export async function sessionFromRequest(req: Request): Promise<ResolvedSession | null> {
  return resolveToken(await db(), requestCookie(req, SESSION_COOKIE));
}

/** The signed-in session in a server component or server action, or null. */
export async function currentSession(): Promise<ResolvedSession | null> {
  const jar = await cookies();
  return resolveToken(await db(), jar.get(SESSION_COOKIE)?.value);
}

/** The signed-in user in a server component or server action, or null. */
export async function currentUser(): Promise<SessionUser | null> {
  return currentSession();
}
