import { z } from "zod";
import { getMailbox } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import type { JobHandler } from "@/lib/jobs/drain";
import { enqueueJob } from "@/lib/jobs/queue";
import { renewWatch } from "@/lib/jobs/watch";

const payloadSchema = z.object({ mailboxId: z.string(), reason: z.string().optional() });

/**
 * One renewal job per mailbox (`renew:<mailbox>`), for push work that calls the provider and so must
 * not run before a webhook answers (Graph's reauthorizationRequired and subscriptionRemoved).
 * Repeatable: a renewal done last week must not swallow today's lifecycle event.
 */
export function enqueueMailboxRenew(db: Db, mailboxId: string, opts: { reason?: string } = {}) {
  return enqueueJob(db, {
    kind: "mailbox.renew",
    key: `renew:${mailboxId}`,
    payload: { mailboxId, ...(opts.reason ? { reason: opts.reason } : {}) },
    repeatable: true,
    maxAttempts: 8,
  });
}

/**
 * mailbox.renew — renews (and so reauthorizes) the mailbox's push registration, recreating it when
 * the provider lost it; renewWatch then queues the catch-up sync that closes the gap.
 */
export const mailboxRenew: JobHandler = async (job, { db, log, now }) => {
  const { mailboxId } = payloadSchema.parse(job.payload);
  const mailbox = await getMailbox(db, mailboxId);
  if (mailbox?.status !== "active" || mailbox.provider === "sandbox") return;
  await renewWatch(db, mailbox, log, now());
};
