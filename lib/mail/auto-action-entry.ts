import { z } from "zod";
import type { AutoAction } from "@/lib/mail/provider";

/*
 * How an auto-action is written in a message's `auto_actions` (shown on the alert and the email
 * page): `label:<name>`, `mark_read`, `archive` once done; `failed:<that>` when the provider refused
 * it; `pending:<that>` from the analysis until the housekeeping job (lib/jobs/message-housekeeping.ts)
 * has run, since the alert goes out first.
 */

export const autoActionSchema = z.discriminatedUnion("kind", [
  // Our label names are "FluxAsync/<priority>": short; the bound only keeps a payload sane.
  z.object({ kind: z.literal("label"), name: z.string().trim().min(1).max(100) }),
  z.object({ kind: z.literal("mark_read") }),
  z.object({ kind: z.literal("archive") }),
]);

export function actionEntry(action: AutoAction): string {
  return action.kind === "label" ? `label:${action.name}` : action.kind;
}

export const pendingEntry = (action: AutoAction) => `pending:${actionEntry(action)}`;
export const failedEntry = (action: AutoAction) => `failed:${actionEntry(action)}`;

/** The actions still to apply, read back from the entries the analysis stored. */
export function pendingActions(entries: readonly string[]): AutoAction[] {
  const actions: AutoAction[] = [];
  for (const entry of entries) {
    if (!entry.startsWith("pending:")) continue;
    const rest = entry.slice("pending:".length);
    if (rest === "mark_read" || rest === "archive") actions.push({ kind: rest });
    else if (rest.startsWith("label:") && rest.length > "label:".length)
      actions.push({ kind: "label", name: rest.slice("label:".length) });
  }
  return actions;
}
