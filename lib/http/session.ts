import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getSessionUser, type SessionUser } from "@/lib/db/accounts";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { SESSION_COOKIE, verifySession } from "@/lib/security/session";

/** One cookie of a route handler request (route handlers get a plain Request, not next/headers). */
export function requestCookie(req: Request, name: string): string | null {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

/** The signed-in user of a route handler request, or null. */
export async function sessionFromRequest(req: Request): Promise<SessionUser | null> {
  const session = await verifySession(requestCookie(req, SESSION_COOKIE));
  if (!session) return null;
  const user = await getSessionUser(await db(), session.userId);
  return user && user.organizationId === session.organizationId ? user : null;
}

/** The signed-in user in a server component or server action, or null. */
export async function currentUser(): Promise<SessionUser | null> {
  const jar = await cookies();
  const session = await verifySession(jar.get(SESSION_COOKIE)?.value);
  if (!session) return null;
  const user = await getSessionUser(await db(), session.userId);
  return user && user.organizationId === session.organizationId ? user : null;
}

/** Pages: signed-out visitors go to sign-in. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/?signin=required");
  return user;
}

/** Server actions and APIs: signed-out callers get a 401, never data. */
export async function requireUserOrThrow(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new AppError("unauthorized", "Your session has ended: sign in again.");
  return user;
}
