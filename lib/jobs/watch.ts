import { setWatch } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import type { Mailbox } from "@/lib/db/schemas";
import { sha256Hex } from "@/lib/http/constant-time";
import { enqueue } from "@/lib/jobs/enqueue";
import { withMailbox } from "@/lib/jobs/mailbox-access";
import { mailboxSyncJob } from "@/lib/jobs/mailbox-sync";
import type { Logger } from "@/lib/log";

/**
 * Starts or renews push for a mailbox (Gmail users.watch, Graph subscription) and records it. A
 * watch that had lapsed, or a Graph subscription that had to be recreated, may have missed
 * notifications: a catch-up sync from the stored cursor follows, so nothing falls in the gap.
 */
export async function renewWatch(db: Db, mailbox: Mailbox, log: Logger, now = new Date()): Promise<boolean> {
  const result = await withMailbox(db, mailbox, log, async ({ provider, access }) => {
    const watch = await provider.watch(access, { previous: mailbox.watch });
    await setWatch(db, {
      mailboxId: mailbox.id,
      watch,
      subscriptionId: watch.id,
      clientStateHash: watch.clientState ? sha256Hex(watch.clientState) : null,
      startCursor: watch.cursor,
    });
    const lapsed = mailbox.watchExpiresAt !== null && mailbox.watchExpiresAt.getTime() < now.getTime();
    const recreated = mailbox.watch?.id != null && watch.id !== mailbox.watch.id;
    if (lapsed || recreated)
      await enqueue(db, mailboxSyncJob, {
        mailboxId: mailbox.id,
        historyHint: null,
        reason: lapsed ? "watch_lapsed" : "resubscribed",
      });
    log.info("watch.renewed", { mailboxId: mailbox.id, provider: mailbox.provider, lapsed, recreated });
    return true;
  });
  return result === true;
}
