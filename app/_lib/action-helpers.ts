import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { ZodError } from "zod";
import { safeReturnPath } from "@/app/_lib/return-path";
import type { SessionUser } from "@/lib/db/accounts";
import { db } from "@/lib/db/client";
import { isAppError, userMessageKey } from "@/lib/errors/app-error";
import { currentSession, rotateIfDue } from "@/lib/http/session";

/**
 * Server actions: the session's user, or back to sign-in (a session can end while a page is open).
 * An action can set cookies, so a session due for a new id gets it here.
 */
export async function actionUser(): Promise<SessionUser> {
  const session = await currentSession();
  if (!session) redirect("/?signin=required");
  const rotated = await rotateIfDue(await db(), session);
  if (rotated) (await cookies()).set(rotated.name, rotated.value, rotated.options);
  return session;
}

/** Where a form sends the user back: one of our pages, never another site (see return-path.ts). */
export function returnPath(form: FormData, fallback: string): string {
  return safeReturnPath(form.get("returnTo"), fallback);
}

/** Adds `notice=` or `error=` (a catalogue key) to a path, before its #fragment. */
export function withMessage(path: string, kind: "notice" | "error", key: string): string {
  const [beforeHash, hash] = path.split("#", 2) as [string, string | undefined];
  const url = new URL(beforeHash, "http://x");
  url.searchParams.delete("notice");
  url.searchParams.delete("error");
  url.searchParams.set(kind, key);
  return `${url.pathname}${url.search}${hash ? `#${hash}` : ""}`;
}

/**
 * Errors a user can act on, as their catalogue key (`errors.<key>`, carried by the error code in
 * lib/errors/codes.ts); anything else is rethrown (→ error page).
 */
export function userErrorKey(error: unknown): string {
  // Input a schema refused (a crafted form): the generic "invalid" message.
  if (error instanceof ZodError) return "invalid";
  // A refusal that names its own message (`badRequest(…, { key })`) says exactly what to fix.
  if (isAppError(error) && typeof error.details?.key === "string") return error.details.key;
  const key = userMessageKey(error);
  if (key === null) throw error;
  return key;
}
