import { listActiveMailboxes } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import { pollMailboxes } from "@/lib/jobs/mailbox-poll";
import { runPeriodicWork } from "@/lib/jobs/periodic";
import { renewWatch } from "@/lib/jobs/watch";
import type { Logger } from "@/lib/log";

/**
 * What each cron of vercel.json does before draining, written once: the cron routes run it behind
 * their secret, and local mode's drain (lib/jobs/local-cron.ts) runs it on the same schedule.
 */
export type CronTask = (db: Db, log: Logger) => Promise<Record<string, number>>;

/** A sync for every mailbox whose push is missing or silent (lib/jobs/mailbox-poll.ts). */
const poll: CronTask = (db) => pollMailboxes(db);

/** Gmail watches (7-day expiry) and Graph subscriptions (under 7 days), lost ones recreated. */
const renew: CronTask = async (db, log) => {
  const mailboxes = (await listActiveMailboxes(db)).filter((m) => m.provider !== "sandbox");
  let renewed = 0;
  let failed = 0;
  for (const mailbox of mailboxes) {
    try {
      if (await renewWatch(db, mailbox, log)) renewed++;
    } catch (error) {
      // One mailbox's failure must not stop the others; the next run (and polling) cover it.
      failed++;
      log.warn("renew.failed", { mailboxId: mailbox.id, error });
    }
  }
  return { renewed, failed };
};

/** Housekeeping, escalations of unread critical alerts, due digests (reminders are due jobs). */
const work: CronTask = (db) => runPeriodicWork(db);

export const cronTasks = {
  "/api/cron/work": work,
  "/api/cron/poll": poll,
  "/api/cron/renew": renew,
} satisfies Record<string, CronTask>;

export type CronPath = keyof typeof cronTasks;
