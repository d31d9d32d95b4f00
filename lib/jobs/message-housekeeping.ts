import { z } from "zod";
import { getMessageContext, saveHousekeeping } from "@/lib/db/messages";
import type { Db } from "@/lib/db/port";
import { defineJob } from "@/lib/jobs/define";
import { withMailbox } from "@/lib/jobs/mailbox-access";
import { mailboxReadiness, reconnectWait } from "@/lib/jobs/mailbox-readiness";
import { actionEntry, autoActionSchema, failedEntry, pendingEntry } from "@/lib/mail/auto-action-entry";
import { GMAIL_QUOTA_WINDOW_SECONDS } from "@/lib/mail/gmail/quota";
import type { AutoAction, LabelIds } from "@/lib/mail/provider";

const payloadSchema = z.object({
  messageId: z.string(),
  /** Decided by the analysis from the organization's settings only (allowedActions). */
  actions: z.array(autoActionSchema).min(1).max(3),
});

/** What changed in the label ids during the call: stored for every worker in the same round trip. */
function labelChanges(before: LabelIds, after: LabelIds) {
  const learned = [...after].filter(([name, id]) => before.get(name) !== id);
  const forgotten = [...before.keys()].filter((name) => !after.has(name));
  return {
    labels: learned.length > 0 ? Object.fromEntries(learned) : null,
    forget: forgotten.length > 0 ? forgotten : null,
  };
}

function finish(
  db: Db,
  messageId: string,
  actions: AutoAction[],
  done: string[],
  before: LabelIds,
  after: LabelIds,
) {
  const replace = actions.flatMap((a) => [pendingEntry(a), failedEntry(a), actionEntry(a)]);
  return saveHousekeeping(db, messageId, { done, replace, ...labelChanges(before, after) });
}

/**
 * message.housekeeping — the mailbox side of an analysed email: the label, mark-read and archive
 * the organization allowed, queued by the router after the email's alerts (lib/pipeline/
 * housekeeping-consumer.ts), so a slow or failing provider call never delays or blocks an alert.
 * Retried on its own; on its last attempt the actions are recorded as failed (the alert and the
 * email page say so). The provider's label ids come from and go back to the database (table
 * mailbox_labels), so no worker lists the labels again once one has found or created them.
 * Our own change does not trigger a second analysis: a Gmail sync reads `messageAdded` history
 * only, and an Outlook change to a known message is deduplicated when recorded.
 */
export const messageHousekeepingJob = defineJob({
  kind: "message.housekeeping",
  payload: payloadSchema,
  key: (p) => `housekeeping:${p.messageId}`,
  maxAttempts: 6,
  leaseSeconds: 30,
  run: async ({ messageId, actions }, { db, log, now, job, owed }) => {
    const ctx = await getMessageContext(db, messageId, GMAIL_QUOTA_WINDOW_SECONDS);
    if (!ctx) return;
    const before: LabelIds = new Map(Object.entries(ctx.labels));
    const readiness = await mailboxReadiness(db, ctx.mailbox, now(), ctx.syncState);
    if (readiness.kind === "disconnected") {
      await finish(db, messageId, actions, actions.map(failedEntry), before, before);
      return;
    }
    if (readiness.kind === "wait") return readiness.deferral;

    const labels: LabelIds = new Map(before);
    let done: string[] | null;
    try {
      done = await withMailbox(
        db,
        ctx.mailbox,
        log,
        ({ provider, access }) =>
          provider.applyActions(access, ctx.message.providerMessageId, actions, labels),
        { stored: ctx.tokens, owed },
      );
    } catch (error) {
      if (job.attempts < job.maxAttempts) throw error;
      // The last attempt: say it failed rather than leave it pending for ever.
      log.warn("housekeeping.failed", { messageId, error });
      await finish(db, messageId, actions, actions.map(failedEntry), before, labels);
      throw error;
    }
    // Access was revoked meanwhile (the mailbox is now reconnect_required): the actions wait.
    if (done === null) return reconnectWait(now());
    await finish(db, messageId, actions, done, before, labels);
    log.info("housekeeping.done", { messageId, done: done.length });
  },
});
