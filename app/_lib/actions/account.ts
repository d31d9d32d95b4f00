"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { actionUser, withMessage } from "@/app/_lib/action-helpers";
import { db } from "@/lib/db/client";
import { clearedSessionCookie, endSession } from "@/lib/http/session";
import { translator } from "@/lib/i18n/catalogue";
import { deleteAccount } from "@/lib/jobs/account-deletion";
import { log } from "@/lib/log";
import { SESSION_COOKIE } from "@/lib/security/session";

/** The confirmation word, in either language (the form asks for it in the user's). */
const WORDS = new Set(["fr", "en"].map((l) => translator(l as "fr" | "en", "web")("settings.delete.word")));

/**
 * Deletes the account once the user typed the confirmation word: push stopped and grants revoked
 * where possible, every row of the organization deleted (audited), the session ended.
 */
export async function deleteAccountAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const typed = String(form.get("confirm") ?? "")
    .trim()
    .toUpperCase();
  if (!WORDS.has(typed)) redirect(withMessage("/settings#delete", "error", "confirmWord"));
  await deleteAccount(await db(), user, log);
  const cleared = clearedSessionCookie();
  (await cookies()).set(cleared.name, cleared.value, cleared.options);
  redirect("/?deleted=1");
}

/** "Sign out of all devices": every session of the user ends, this one included (audited). */
export async function signOutEverywhereAction(): Promise<void> {
  const jar = await cookies();
  await endSession(await db(), jar.get(SESSION_COOKIE)?.value ?? null, true);
  const cleared = clearedSessionCookie();
  jar.set(cleared.name, cleared.value, cleared.options);
  redirect("/?signedOut=everywhere");
}
