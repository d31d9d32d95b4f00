"use server";

import { z } from "zod";
import { markEmailHandled, sendFeedback } from "@/app/_lib/email-access";
import { idOf, runFormAction } from "@/app/_lib/form-action";
import { db } from "@/lib/db/client";
import { priorityEnum } from "@/lib/db/schemas";

const feedbackScope = z.enum(["none", "sender", "domain"]);

/** "Traité" from the dashboard or the email page (another organization's email: 404). */
export async function markHandledAction(form: FormData): Promise<void> {
  return runFormAction(form, "/dashboard", async (f, user) => {
    await markEmailHandled(await db(), user, idOf(f.get("id")));
    return { notice: "handled" };
  });
}

/** "Priorité incorrecte": the right priority, and a rule for the sender or its domain when asked. */
export async function feedbackAction(form: FormData): Promise<void> {
  return runFormAction(form, "/dashboard", async (f, user) => {
    const priority = priorityEnum.safeParse(f.get("priority"));
    if (!priority.success) return { error: "invalid" };
    const scope = feedbackScope.safeParse(f.get("scope") ?? "none");
    if (!scope.success) return { error: "invalid" };
    const result = await sendFeedback(await db(), user, {
      id: idOf(f.get("id")),
      priority: priority.data,
      scope: scope.data,
    });
    return { notice: result.rulePattern ? "feedbackRule" : "feedbackSaved" };
  });
}
