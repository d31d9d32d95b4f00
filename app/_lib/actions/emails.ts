"use server";

import { markEmailHandled, sendFeedback } from "@/app/_lib/email-access";
import { idOf, runFormAction, textField } from "@/app/_lib/form-action";
import { db } from "@/lib/db/client";
import { priorityEnum } from "@/lib/db/schemas";

/** "Traité" from the dashboard or the email page (another organization's email: 404). */
export async function markHandledAction(form: FormData): Promise<void> {
  return runFormAction(form, "/dashboard", async (f, user) => {
    await markEmailHandled(await db(), user, idOf(f.get("id")));
    return { notice: "handled" };
  });
}

/** "Priorité incorrecte": the right priority, and a sender rule when the user ticks the box. */
export async function feedbackAction(form: FormData): Promise<void> {
  return runFormAction(form, "/dashboard", async (f, user) => {
    const priority = priorityEnum.safeParse(f.get("priority"));
    if (!priority.success) return { error: "invalid" };
    const result = await sendFeedback(await db(), user, {
      id: idOf(f.get("id")),
      priority: priority.data,
      makeRule: textField(f, "makeRule") === "on",
    });
    return { notice: result.ruleCreated ? `feedbackRule.${result.ruleCreated}` : "feedbackSaved" };
  });
}
