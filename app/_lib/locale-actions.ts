"use server";

import { cookies } from "next/headers";
import { applyUserLocale } from "@/app/_lib/account-locale";
import { localeCookie } from "@/app/_lib/locale-cookie";
import { db } from "@/lib/db/client";
import { currentUser } from "@/lib/http/session";
import { toLocale } from "@/lib/i18n/catalogue";

/** The language switcher: remembered in a cookie, and stored for a signed-in user. */
export async function switchLocale(formData: FormData): Promise<void> {
  // toLocale reads anything (a crafted request may send no FormData at all) as a locale or French.
  const locale = toLocale(formData instanceof FormData ? formData.get("locale") : null);
  (await cookies()).set(localeCookie(locale));
  const user = await currentUser();
  if (user) await applyUserLocale(await db(), user, locale);
}
