// GET /api/cron/poll — Vercel Cron, every 5 minutes: a sync for every active mailbox, coalesced with
// pending push syncs, so that without push the worst case is 5 minutes.
import { db } from "@/lib/db/client";
import { listActiveMailboxes } from "@/lib/db/mailboxes";
import { drainAfterResponse } from "@/lib/http/after-response";
import { json, withCron } from "@/lib/http/route";
import { enqueue } from "@/lib/jobs/enqueue";
import { mailboxSyncJob } from "@/lib/jobs/mailbox-sync";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

export const GET = withCron("poll", async () => {
  const database = await db();
  const mailboxes = await listActiveMailboxes(database);
  for (const mailbox of mailboxes)
    await enqueue(database, mailboxSyncJob, { mailboxId: mailbox.id, historyHint: null, reason: "poll" });
  drainAfterResponse(45_000);
  return json({ ok: true, enqueued: mailboxes.length });
});
