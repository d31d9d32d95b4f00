import type { Db } from "@/lib/db/port";
import { enqueueJob } from "@/lib/jobs/queue";

/**
 * One sync job per mailbox (`sync:<mailbox>`): pushes and polls coalesce into it, a push arriving
 * while it runs re-arms it, and the lease keeps a mailbox's syncs one at a time.
 *
 * The hint is always sent, null when there is none: the sync skips a run whose hint the cursor is
 * already past, and merged payloads keep the highest hint, so "no hint" must be said (a null wins
 * the merge) — or a poll or catch-up coalesced with a stale push would be skipped, and the mail
 * that came without any push with it.
 */
export function enqueueMailboxSync(
  db: Db,
  mailboxId: string,
  opts: { historyHint?: string | null; reason?: string } = {},
) {
  return enqueueJob(db, {
    kind: "mailbox.sync",
    key: `sync:${mailboxId}`,
    payload: {
      mailboxId,
      historyHint: opts.historyHint || null,
      ...(opts.reason ? { reason: opts.reason } : {}),
    },
    repeatable: true,
    maxAttempts: 12,
  });
}
