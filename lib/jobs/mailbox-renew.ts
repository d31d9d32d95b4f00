import { z } from "zod";
import { getMailbox } from "@/lib/db/mailboxes";
import { defineJob } from "@/lib/jobs/define";
import { mailboxGate } from "@/lib/jobs/mailbox-quota";
import { renewWatch } from "@/lib/jobs/watch";

/**
 * mailbox.renew — one renewal job per mailbox (`renew:<mailbox>`), for push work that calls the
 * provider and so must not run before a webhook answers (Graph's reauthorizationRequired and
 * subscriptionRemoved). Repeatable: a renewal done last week must not swallow today's lifecycle
 * event. It renews (and so reauthorizes) the mailbox's push registration, recreating it when the
 * provider lost it; renewWatch then queues the catch-up sync that closes the gap.
 */
export const mailboxRenewJob = defineJob({
  kind: "mailbox.renew",
  payload: z.object({ mailboxId: z.string(), reason: z.string().optional() }),
  key: (p) => `renew:${p.mailboxId}`,
  maxAttempts: 8,
  repeatable: true,
  leaseSeconds: 60,
  run: async ({ mailboxId }, { db, log, now }) => {
    const mailbox = await getMailbox(db, mailboxId);
    if (mailbox?.status !== "active" || mailbox.provider === "sandbox") return;
    const gate = await mailboxGate(db, mailbox, now());
    if (!gate.open) return gate.deferral;
    await renewWatch(db, mailbox, log, now());
  },
});
