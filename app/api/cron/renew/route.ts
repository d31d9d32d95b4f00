// GET /api/cron/renew — Vercel Cron, daily: renews Gmail watches (7-day expiry) and Graph
// subscriptions (under 7 days), recreating lost ones and catching up on what they missed.
import { db } from "@/lib/db/client";
import { listActiveMailboxes } from "@/lib/db/mailboxes";
import { drainAfterResponse } from "@/lib/http/after-response";
import { json, withCron } from "@/lib/http/route";
import { renewWatch } from "@/lib/jobs/watch";

export const dynamic = "force-dynamic";
export const maxDuration = 120;

export const GET = withCron("renew", async (_req, { log }) => {
  const database = await db();
  const mailboxes = (await listActiveMailboxes(database)).filter((m) => m.provider !== "sandbox");
  let renewed = 0;
  const failed: string[] = [];
  for (const mailbox of mailboxes) {
    try {
      if (await renewWatch(database, mailbox, log)) renewed++;
    } catch (error) {
      // One mailbox's failure must not stop the others; the next run (and polling) cover it.
      failed.push(mailbox.id);
      log.warn("renew.failed", { mailboxId: mailbox.id, error });
    }
  }
  drainAfterResponse(45_000);
  return json({ ok: failed.length === 0, renewed, failed: failed.length });
});
