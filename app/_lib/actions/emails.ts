"use server";

import { redirect } from "next/navigation";
import { actionUser, returnPath, withMessage } from "@/app/_lib/action-helpers";
import { markEmailHandled, sendFeedback } from "@/app/_lib/email-access";
import { db } from "@/lib/db/client";
import { priorityEnum } from "@/lib/db/schemas";

/** "Traité" from the dashboard or the email page (another organization's email: 404). */
export async function markHandledAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const back = returnPath(form, "/dashboard");
  await markEmailHandled(await db(), user, String(form.get("id")));
  redirect(withMessage(back, "notice", "handled"));
}

/** "Priorité incorrecte": the right priority, and a sender rule when the user ticks the box. */
export async function feedbackAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const id = String(form.get("id"));
  const back = returnPath(form, `/dashboard/emails/${id}`);
  const priority = priorityEnum.safeParse(form.get("priority"));
  if (!priority.success) redirect(withMessage(back, "error", "invalid"));
  const result = await sendFeedback(await db(), user, {
    id,
    priority: priority.data,
    makeRule: form.get("makeRule") === "on",
  });
  redirect(
    withMessage(back, "notice", result.ruleCreated ? `feedbackRule.${result.ruleCreated}` : "feedbackSaved"),
  );
}
