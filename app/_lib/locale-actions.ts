"use server";

import { cookies } from "next/headers";
import { localeCookie } from "@/app/_lib/locale-cookie";
import { setUserLocale } from "@/lib/db/accounts";
import { db } from "@/lib/db/client";
import { currentUser } from "@/lib/http/session";
import { toLocale } from "@/lib/i18n/catalogue";

/**
 * The header's FR/EN switcher changes the interface only: remembered in a cookie and stored for a
 * signed-in user. Alert languages (each recipient's, in Settings) and the organization's label
 * language are never touched by it.
 */
export async function switchLocale(formData: FormData): Promise<void> {
  // toLocale reads anything (a crafted request may send no FormData at all) as a locale or French.
  const locale = toLocale(formData instanceof FormData ? formData.get("locale") : null);
  (await cookies()).set(localeCookie(locale));
  const user = await currentUser();
  if (user) await setUserLocale(await db(), user.userId, locale);
}
