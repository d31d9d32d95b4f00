"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { idOf, runFormAction, textField } from "@/app/_lib/form-action";
import { localeCookie } from "@/app/_lib/locale-cookie";
import {
  addSenderRule,
  autoActionsSchema,
  finishOnboarding,
  removeSenderRule,
  saveAutoActions,
  saveOrganization,
  savePreferences,
} from "@/app/_lib/organization-core";
import { firstIssue, formObject, preferencesSchema } from "@/app/_lib/recipient-form";
import { db } from "@/lib/db/client";

const on = (form: FormData, name: string) => textField(form, name) === "on";

export async function savePreferencesAction(form: FormData): Promise<void> {
  return runFormAction(form, "/onboarding?step=3", async (f, user) => {
    const parsed = preferencesSchema.safeParse(formObject(f));
    if (!parsed.success) return { error: firstIssue(parsed.error) };
    await savePreferences(await db(), user, parsed.data);
    (await cookies()).set(localeCookie(parsed.data.locale));
    return textField(f, "next") === "4" ? { to: "/onboarding?step=4" } : { notice: "saved" };
  });
}

export async function saveAutoActionsAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#auto-actions", async (f, user) => {
    const settings = autoActionsSchema.parse({
      autoLabel: on(f, "autoLabel"),
      autoMarkSpamRead: on(f, "autoMarkSpamRead"),
      autoArchiveSpam: on(f, "autoArchiveSpam"),
      autoArchivePromotions: on(f, "autoArchivePromotions"),
    });
    await saveAutoActions(await db(), user, settings);
    return textField(f, "next") === "5" ? { to: "/onboarding?step=5" } : { notice: "saved" };
  });
}

export async function saveOrganizationAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#organization", async (f, user) => {
    await saveOrganization(await db(), user, {
      name: textField(f, "name"),
      timezone: textField(f, "timezone"),
      locale: textField(f, "locale"),
      escalationCopy: textField(f, "escalationCopy"),
    });
    return { notice: "saved" };
  });
}

export async function finishOnboardingAction(): Promise<void> {
  return runFormAction(new FormData(), "/dashboard", async (_, user) => {
    await finishOnboarding(await db(), user);
    return { to: "/dashboard" };
  });
}

const ruleFormSchema = z.object({
  pattern: z.string(),
  kind: z.enum(["vip", "muted", "blocked", "critical", "important", "informational", "spam"]),
});

export async function addSenderRuleAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#senders", async (f, user) => {
    const parsed = ruleFormSchema.safeParse(formObject(f));
    if (!parsed.success) return { error: firstIssue(parsed.error) };
    try {
      await addSenderRule(await db(), user, parsed.data);
    } catch (error) {
      if (error instanceof z.ZodError) return { error: "pattern" };
      throw error;
    }
    return { notice: "saved" };
  });
}

export async function removeSenderRuleAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#senders", async (f, user) => {
    await removeSenderRule(await db(), user, idOf(f.get("id")));
    return { notice: "saved" };
  });
}
