import { redirect, unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { actionUser, returnPath, userErrorKey, withMessage } from "@/app/_lib/action-helpers";
import type { SessionUser } from "@/lib/db/accounts";
import { notFound } from "@/lib/errors/app-error";

/** What a form action ends with: a notice or an error (catalogue keys) on the page it came from, or another page. */
export type Outcome = { notice: string } | { error: string } | { to: string };

/**
 * Runs the server action of a form. The arguments come from the request, decoded by React, so
 * they are checked like any input: not a FormData means a crafted request (back with "invalid");
 * what the user can act on — a foreign or malformed id, invalid input, a conflict, a rate limit —
 * is shown on the page they came from, never as a 500. Anything unexpected still reaches error.tsx.
 */
export async function runFormAction(
  form: unknown,
  fallback: string,
  run: (form: FormData, user: SessionUser) => Promise<Outcome>,
): Promise<void> {
  if (!(form instanceof FormData)) redirect(withMessage(fallback, "error", "invalid"));
  const back = returnPath(form, fallback);
  const user = await actionUser();
  let outcome: Outcome;
  try {
    outcome = await run(form, user);
  } catch (error) {
    unstable_rethrow(error);
    outcome = { error: userErrorKey(error) };
  }
  if ("to" in outcome) redirect(outcome.to);
  redirect(
    "notice" in outcome
      ? withMessage(back, "notice", outcome.notice)
      : withMessage(back, "error", outcome.error),
  );
}

const uuid = z.uuid();

/** An id argument or form field: one of our rows' UUIDs, or that row does not exist (a 404, not a database cast error). */
export function idOf(value: unknown): string {
  const parsed = uuid.safeParse(value);
  if (!parsed.success) throw notFound("No such item.");
  return parsed.data;
}

/** A text field, or "" when absent or not text (a file, say). */
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
