"use server";

import { runFormAction } from "@/app/_lib/form-action";
import { db } from "@/lib/db/client";
import { drainAfterResponse } from "@/lib/http/after-response";
import { retryProblem } from "@/lib/jobs/problems";

/** "Réessayer" on the Problèmes page: another organization's job is a 404, a malformed id a 400. */
export async function retryProblemAction(form: FormData): Promise<void> {
  return runFormAction(form, "/problems", async (f, user) => {
    const retried = await retryProblem(await db(), user.organizationId, f.get("id"));
    if (!retried) return { notice: "alreadyRetried" };
    drainAfterResponse(15_000);
    return { notice: "retried" };
  });
}
