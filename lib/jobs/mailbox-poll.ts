import { listMailboxesDueForPoll } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import { jobSpec } from "@/lib/jobs/define";
import { enqueue } from "@/lib/jobs/enqueue";
import { mailboxSyncJob } from "@/lib/jobs/mailbox-sync";
import { enqueueJobs } from "@/lib/jobs/queue";

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

/** A push for this mailbox: recorded (the poll reads its rhythm) with its sync enqueued, one call. */
export function enqueueSyncForPush(db: Db, mailboxId: string, historyHint: string) {
  return enqueue(
    db,
    mailboxSyncJob,
    { mailboxId, historyHint, reason: "push" },
    { pushMailboxId: mailboxId },
  );
}
