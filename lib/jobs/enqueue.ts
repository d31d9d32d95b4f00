import type { Db } from "@/lib/db/port";
import { enqueueJob } from "@/lib/jobs/queue";

/**
 * One sync job per mailbox (`sync:<mailbox>`): pushes and polls coalesce into it, a push arriving
 * while it runs re-arms it, and the lease keeps a mailbox's syncs one at a time.
 */
export function enqueueMailboxSync(db: Db, mailboxId: string, opts: { historyHint?: string | null; reason?: string } = {}) {
  return enqueueJob(db, {
    kind: "mailbox.sync",
    key: `sync:${mailboxId}`,
    payload: {
      mailboxId,
      ...(opts.historyHint ? { historyHint: opts.historyHint } : {}),
      ...(opts.reason ? { reason: opts.reason } : {}),
    },
    repeatable: true,
    maxAttempts: 12,
  });
}
