import { enqueueForMailboxAddress, listMailboxesDueForPoll } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import { jobSpec } from "@/lib/jobs/define";
import { mailboxSyncJob } from "@/lib/jobs/mailbox-sync";
import { enqueueJobs } from "@/lib/jobs/queue";
import type { ProviderKind } from "@/lib/mail/types";

/**
 * The fallback poll: a sync for each mailbox that needs one — no healthy push, push silent longer
 * than its usual gap, or not polled for an hour (mailbox_poll_due) — coalesced with pending push
 * syncs, all enqueued in one call.
 */
export async function pollMailboxes(db: Db): Promise<{ enqueued: number }> {
  const due = await listMailboxesDueForPoll(db);
  if (due.length === 0) return { enqueued: 0 };
  const jobs = due.map((mailboxId) =>
    jobSpec(mailboxSyncJob, { mailboxId, historyHint: null, reason: "poll" }),
  );
  return enqueueJobs(db, jobs, { markPolled: true });
}

/** Stands for the mailbox id in a push's sync spec until the database has found the mailbox. */
const MAILBOX_PLACEHOLDER = "00000000-0000-4000-8000-00000000feed";

/**
 * A push for the mailbox at this address: looked up, recorded (the poll reads its rhythm) and its
 * sync enqueued, in one call; the mailbox id, or null when no connected mailbox has the address.
 */
export async function enqueueSyncForPushTo(
  db: Db,
  provider: ProviderKind,
  address: string,
  historyHint: string,
): Promise<string | null> {
  const spec = jobSpec(mailboxSyncJob, { mailboxId: MAILBOX_PLACEHOLDER, historyHint, reason: "push" });
  const r = await enqueueForMailboxAddress(db, { provider, address, spec, placeholder: MAILBOX_PLACEHOLDER });
  return r.mailboxId;
}
