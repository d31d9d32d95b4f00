import { z } from "zod";
import { digestsDue, escalationsDue, markDigestQueued } from "@/lib/db/alerts";
import { failAbandonedMessages } from "@/lib/db/messages";
import { call, type Db } from "@/lib/db/port";
import type { FailureCode } from "@/lib/jobs/analysis-failure";
import { digestSendJob } from "@/lib/jobs/digest-send";
import { enqueue } from "@/lib/jobs/enqueue";
import { messageAnalyzeJob } from "@/lib/jobs/message-analyze";
import { queueAlert } from "@/lib/jobs/queue-alert";

/**
 * Work the every-minute cron schedules before draining: housekeeping (old jobs pruned, emails
 * whose analysis died with its process on every attempt ended `failed`), escalations of critical
 * alerts left unread, and the daily digests whose hour has come. Each step is idempotent (job keys,
 * one alert per message, recipient and kind), so overlapping cron runs cannot double anything.
 */
export async function runPeriodicWork(db: Db): Promise<Record<string, number>> {
  const pruned = await call(db, "job_prune", { p_older_than_hours: 168 }, z.object({ deleted: z.number() }));
  const interrupted: FailureCode = "interrupted";
  const abandoned = await failAbandonedMessages(db, messageAnalyzeJob.kind, interrupted);
  let escalations = 0;
  for (const due of await escalationsDue(db)) {
    const { created } = await queueAlert(db, { ...due, kind: "escalation" });
    if (created) escalations++;
  }
  let digests = 0;
  for (const due of await digestsDue(db)) {
    // The job first: marking first and crashing before it would lose the day's digest.
    const { created } = await enqueue(db, digestSendJob, due);
    await markDigestQueued(db, due.recipientId, due.date);
    if (created) digests++;
  }
  return { pruned: pruned.deleted, abandoned: abandoned.failed, escalations, digests };
}
