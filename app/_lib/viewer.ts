import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { LOCALE_COOKIE } from "@/app/_lib/locale-cookie";
import type { SessionUser } from "@/lib/db/accounts";
import { DEFAULT_TIME_ZONE } from "@/lib/domain/vocabulary";
import { currentUser } from "@/lib/http/session";
import { type Locale, toLocale, translator } from "@/lib/i18n/catalogue";

export type Viewer = {
  user: SessionUser | null;
  locale: Locale;
  timeZone: string;
  t: ReturnType<typeof translator>;
};

/**
 * Who is looking and in which language, once per request (layout and page share it). A signed-in
 * user's stored language wins over the cookie; times are shown in the organization's time zone.
 */
export const getViewer = cache(async (): Promise<Viewer> => {
  const user = await currentUser();
  const jar = await cookies();
  const locale = user ? user.locale : toLocale(jar.get(LOCALE_COOKIE)?.value);
  const timeZone = user?.organization.timezone ?? DEFAULT_TIME_ZONE;
  return { user, locale, timeZone, t: translator(locale, "web", timeZone) };
});

export type SignedInViewer = Viewer & { user: SessionUser };

/** Pages behind sign-in: signed-out visitors go to the landing page's sign-in. */
export async function requireViewer(): Promise<SignedInViewer> {
  const viewer = await getViewer();
  if (!viewer.user) redirect("/?signin=required");
  return viewer as SignedInViewer;
}
