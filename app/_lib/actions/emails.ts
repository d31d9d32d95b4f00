"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { actionUser, returnPath, withMessage } from "@/app/_lib/action-helpers";
import { markEmailHandled, sendFeedback } from "@/app/_lib/email-access";
import { db } from "@/lib/db/client";
import { priorityEnum } from "@/lib/db/schemas";

const feedbackScope = z.enum(["none", "sender", "domain"]);

/** "Traité" from the dashboard or the email page (another organization's email: 404). */
export async function markHandledAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const back = returnPath(form, "/dashboard");
  await markEmailHandled(await db(), user, String(form.get("id")));
  redirect(withMessage(back, "notice", "handled"));
}

/** "Priorité incorrecte": the right priority, and a rule for the sender or its domain when asked. */
export async function feedbackAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const id = String(form.get("id"));
  const back = returnPath(form, `/dashboard/emails/${id}`);
  const priority = priorityEnum.safeParse(form.get("priority"));
  if (!priority.success) redirect(withMessage(back, "error", "invalid"));
  const scope = feedbackScope.safeParse(form.get("scope") ?? "none");
  if (!scope.success) redirect(withMessage(back, "error", "invalid"));
  const result = await sendFeedback(await db(), user, { id, priority: priority.data, scope: scope.data });
  redirect(withMessage(back, "notice", result.rulePattern ? "feedbackRule" : "feedbackSaved"));
}
