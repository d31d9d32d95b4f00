import type { SessionUser } from "@/lib/db/accounts";
import { setUserLocale, updateOrganization } from "@/lib/db/accounts";
import type { Db } from "@/lib/db/port";
import { listRecipients, upsertRecipient } from "@/lib/db/recipients";
import type { Locale } from "@/lib/i18n/catalogue";

export const actorOf = (user: Pick<SessionUser, "userId">) => `user:${user.userId}`;

/**
 * The signed-in user's language: the interface, the organization's default, and the alerts sent to
 * the owner's own WhatsApp number (a manager keeps the language set for them in the settings).
 */
export async function applyUserLocale(db: Db, user: SessionUser, locale: Locale): Promise<void> {
  await setUserLocale(db, user.userId, locale);
  if (user.organization.locale !== locale) {
    await updateOrganization(db, user.organizationId, actorOf(user), { locale });
  }
  for (const r of await listRecipients(db, user.organizationId)) {
    if (r.role === "owner" && r.locale !== locale) {
      await upsertRecipient(db, user.organizationId, actorOf(user), { id: r.id, locale });
    }
  }
}
