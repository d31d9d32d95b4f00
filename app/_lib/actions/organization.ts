"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { actionUser, returnPath, userErrorKey, withMessage } from "@/app/_lib/action-helpers";
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

const on = (form: FormData, name: string) => form.get(name) === "on";

export async function savePreferencesAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const back = returnPath(form, "/onboarding?step=3");
  const parsed = preferencesSchema.safeParse(formObject(form));
  if (!parsed.success) redirect(withMessage(back, "error", firstIssue(parsed.error)));
  await savePreferences(await db(), user, parsed.data);
  (await cookies()).set(localeCookie(parsed.data.locale));
  redirect(
    String(form.get("next") ?? "") === "4" ? "/onboarding?step=4" : withMessage(back, "notice", "saved"),
  );
}

export async function saveAutoActionsAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const back = returnPath(form, "/settings#auto-actions");
  const settings = autoActionsSchema.parse({
    autoLabel: on(form, "autoLabel"),
    autoMarkSpamRead: on(form, "autoMarkSpamRead"),
    autoArchiveSpam: on(form, "autoArchiveSpam"),
  });
  await saveAutoActions(await db(), user, settings);
  redirect(
    String(form.get("next") ?? "") === "5" ? "/onboarding?step=5" : withMessage(back, "notice", "saved"),
  );
}

export async function saveOrganizationAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const back = returnPath(form, "/settings#organization");
  try {
    await saveOrganization(await db(), user, {
      name: String(form.get("name") ?? ""),
      timezone: String(form.get("timezone") ?? ""),
    });
  } catch (error) {
    redirect(withMessage(back, "error", userErrorKey(error)));
  }
  redirect(withMessage(back, "notice", "saved"));
}

export async function finishOnboardingAction(): Promise<void> {
  const user = await actionUser();
  await finishOnboarding(await db(), user);
  redirect("/dashboard");
}

const ruleFormSchema = z.object({
  pattern: z.string(),
  kind: z.enum(["vip", "muted", "blocked", "critical", "important", "informational", "spam"]),
});

export async function addSenderRuleAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const back = returnPath(form, "/settings#senders");
  const parsed = ruleFormSchema.safeParse(formObject(form));
  if (!parsed.success) redirect(withMessage(back, "error", firstIssue(parsed.error)));
  try {
    await addSenderRule(await db(), user, parsed.data);
  } catch (error) {
    redirect(withMessage(back, "error", error instanceof z.ZodError ? "pattern" : userErrorKey(error)));
  }
  redirect(withMessage(back, "notice", "saved"));
}

export async function removeSenderRuleAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const back = returnPath(form, "/settings#senders");
  try {
    await removeSenderRule(await db(), user, String(form.get("id")));
  } catch (error) {
    redirect(withMessage(back, "error", userErrorKey(error)));
  }
  redirect(withMessage(back, "notice", "saved"));
}
