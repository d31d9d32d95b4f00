import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { SessionUser } from "@/lib/db/accounts";
import { db } from "@/lib/db/client";
import { userMessageKey } from "@/lib/errors/app-error";
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

const PAGES = /^\/(onboarding|dashboard|settings|stats|audit)(?:[/?#]|$)/;

/** Where a form sends the user back: one of our pages, never another site. */
export function returnPath(form: FormData, fallback: string): string {
  const value = String(form.get("returnTo") ?? "");
  return PAGES.test(value) ? value : fallback;
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
  const key = userMessageKey(error);
  if (key === null) throw error;
  return key;
}
