import type { Locale } from "@/lib/i18n/catalogue";

/** Remembers a visitor's language before (and besides) sign-in; signed-in users also have it stored. */
export const LOCALE_COOKIE = "locale";
export const LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600;

export function localeCookie(locale: Locale) {
  return {
    name: LOCALE_COOKIE,
    value: locale,
    path: "/",
    maxAge: LOCALE_COOKIE_MAX_AGE,
    sameSite: "lax" as const,
    httpOnly: false,
  };
}
