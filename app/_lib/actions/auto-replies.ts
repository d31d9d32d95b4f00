"use server";

import { parseRuleForm, removeRule, saveRule, setRuleEnabled } from "@/app/_lib/auto-replies-core";
import { idOf, runFormAction, textField } from "@/app/_lib/form-action";
import { db } from "@/lib/db/client";

const BACK = "/settings#auto-replies";

export async function saveAutoReplyRuleAction(form: FormData): Promise<void> {
  return runFormAction(form, BACK, async (f, user) => {
    const parsed = parseRuleForm(f);
    if (!parsed.ok) return { error: parsed.error };
    await saveRule(await db(), user, parsed.rule);
    return { notice: "saved" };
  });
}

export async function setAutoReplyRuleEnabledAction(form: FormData): Promise<void> {
  return runFormAction(form, BACK, async (f, user) => {
    await setRuleEnabled(await db(), user, idOf(f.get("id")), textField(f, "enabled") === "on");
    return { notice: "saved" };
  });
}

export async function deleteAutoReplyRuleAction(form: FormData): Promise<void> {
  return runFormAction(form, BACK, async (f, user) => {
    await removeRule(await db(), user, idOf(f.get("id")));
    return { notice: "saved" };
  });
}
