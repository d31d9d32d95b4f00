import { z } from "zod";
import { actorOf, applyUserLocale } from "@/app/_lib/account-locale";
import type { Preferences } from "@/app/_lib/recipient-form";
import { isTimeZone } from "@/lib/channels/format-values";
import { type SessionUser, updateOrganization } from "@/lib/db/accounts";
import type { Db } from "@/lib/db/port";
import { deleteSenderRule, listRecipients, saveSenderRule, upsertRecipient } from "@/lib/db/recipients";
import type { SenderRule } from "@/lib/db/schemas";
import { badRequest } from "@/lib/errors/app-error";
import { isLocale } from "@/lib/i18n/catalogue";

/** Onboarding's alert preferences: the organization's zone and language, and every recipient's routing. */
export async function savePreferences(db: Db, user: SessionUser, p: Preferences): Promise<void> {
  await updateOrganization(db, user.organizationId, actorOf(user), { timezone: p.timezone });
  await applyUserLocale(db, user, p.locale);
  for (const r of await listRecipients(db, user.organizationId)) {
    await upsertRecipient(db, user.organizationId, actorOf(user), {
      id: r.id,
      minPriority: p.minPriority,
      quietStartMinute: p.quietStartMinute,
      quietEndMinute: p.quietEndMinute,
      timezone: p.timezone,
      // A manager keeps their own language; the owner reads alerts in the language chosen here.
      ...(r.role === "owner" ? { locale: p.locale } : {}),
    });
  }
}

export const autoActionsSchema = z.object({
  autoLabel: z.boolean(),
  autoMarkSpamRead: z.boolean(),
  autoArchiveSpam: z.boolean(),
  autoArchivePromotions: z.boolean(),
});

export async function saveAutoActions(db: Db, user: SessionUser, a: z.infer<typeof autoActionsSchema>) {
  return updateOrganization(db, user.organizationId, actorOf(user), a);
}

/**
 * Name, zone and the organization's language: the one the mailbox labels are named in
 * ("FluxAsync/Critique"), chosen here once for everyone, never by the interface toggle.
 */
export async function saveOrganization(
  db: Db,
  user: SessionUser,
  p: { name: string; timezone: string; locale?: string; escalationCopy?: string },
) {
  const name = p.name.trim();
  if (!name || name.length > 200) throw badRequest("name");
  if (!isTimeZone(p.timezone)) throw badRequest("timezone");
  // An absent field (a crafted request, an older form) keeps the current setting.
  const locale = p.locale || undefined;
  if (locale !== undefined && !isLocale(locale)) throw badRequest("locale");
  const copy = p.escalationCopy || undefined;
  if (copy !== undefined && copy !== "delayed" && copy !== "immediate") throw badRequest("escalationCopy");
  return updateOrganization(db, user.organizationId, actorOf(user), {
    name,
    timezone: p.timezone,
    ...(locale ? { locale } : {}),
    ...(copy ? { escalationCopy: copy } : {}),
  });
}

export async function finishOnboarding(db: Db, user: SessionUser) {
  return updateOrganization(db, user.organizationId, actorOf(user), { onboarded: true });
}

/** "boss@client.ci" or "@client.ci": lower-case, one @, no spaces (the table's own check). */
export const senderPatternSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[^@\s]*@[^@\s]+\.[^@\s]+$/, "pattern");

export async function addSenderRule(
  db: Db,
  user: SessionUser,
  p: { pattern: string; kind: SenderRule["kind"] },
) {
  return saveSenderRule(db, {
    organizationId: user.organizationId,
    pattern: senderPatternSchema.parse(p.pattern),
    kind: p.kind,
    source: "settings",
    actor: actorOf(user),
  });
}

export async function removeSenderRule(db: Db, user: SessionUser, ruleId: string) {
  return deleteSenderRule(db, user.organizationId, ruleId, actorOf(user));
}
