import { z } from "zod";
import { call, type Db } from "@/lib/db/port";
import { localeEnum, organizationSchema } from "@/lib/db/schemas";

export const signInSchema = z.object({
  created: z.boolean(),
  userId: z.string(),
  organizationId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  locale: localeEnum,
  onboarded: z.boolean(),
});

export function signIn(
  db: Db,
  p: {
    provider: "google" | "microsoft" | "local";
    subject: string;
    email: string;
    name?: string | null;
    locale?: string;
    /** Signed in already: a new identity joins this organization instead of creating one. */
    joinOrganizationId?: string | null;
  },
) {
  return call(
    db,
    "account_sign_in",
    {
      p_provider: p.provider,
      p_subject: p.subject,
      p_email: p.email,
      p_name: p.name ?? null,
      p_locale: p.locale ?? "fr",
      p_join_organization_id: p.joinOrganizationId ?? null,
    },
    signInSchema,
  );
}

export const sessionUserSchema = z.object({
  userId: z.string(),
  organizationId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  locale: localeEnum,
  role: z.enum(["owner", "member"]),
  organization: organizationSchema,
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export function getSessionUser(db: Db, userId: string) {
  return call(db, "session_user_get", { p_user_id: userId }, sessionUserSchema.nullable());
}

export function setUserLocale(db: Db, userId: string, locale: "fr" | "en") {
  return call(db, "user_set_locale", { p_user_id: userId, p_locale: locale }, z.unknown());
}

export type OrganizationSettings = Partial<{
  name: string;
  locale: "fr" | "en";
  timezone: string;
  autoLabel: boolean;
  autoMarkSpamRead: boolean;
  autoArchiveSpam: boolean;
  autoArchivePromotions: boolean;
  escalationCopy: "delayed" | "immediate";
  onboarded: boolean;
}>;

export function updateOrganization(
  db: Db,
  organizationId: string,
  actor: string,
  settings: OrganizationSettings,
) {
  return call(
    db,
    "organization_update",
    { p_organization_id: organizationId, p_actor: actor, p_settings: settings },
    organizationSchema,
  );
}

export function deleteOrganization(db: Db, organizationId: string, actor: string) {
  return call(
    db,
    "organization_delete",
    { p_organization_id: organizationId, p_actor: actor },
    z.object({ deleted: z.boolean() }),
  );
}
