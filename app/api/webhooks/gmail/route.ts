// POST /api/webhooks/gmail — Cloud Pub/Sub push for every watched Gmail inbox.
import { db } from "@/lib/db/client";
import { findMailboxByAddress } from "@/lib/db/mailboxes";
import { env } from "@/lib/env";
import { drainAfterResponse } from "@/lib/http/after-response";
import { AppError } from "@/lib/http/app-error";
import { sha256Hex } from "@/lib/http/constant-time";
import { withWebhook } from "@/lib/http/route";
import { enqueue } from "@/lib/jobs/enqueue";
import { mailboxSyncJob } from "@/lib/jobs/mailbox-sync";
import { pubSubPushSchema } from "@/lib/mail/gmail/push-envelope";
import { verifyPubSubToken } from "@/lib/mail/gmail/push-token";

export const dynamic = "force-dynamic";

export const POST = withWebhook("gmail", async (req, { log }) => {
  if (!env.GMAIL_PUSH_AUDIENCE || !env.GMAIL_PUSH_SERVICE_ACCOUNT) {
    throw new AppError("not_configured", 503, "Gmail push is not configured on this server.");
  }
  await verifyPubSubToken(req.headers.get("authorization"), {
    audience: env.GMAIL_PUSH_AUDIENCE,
    serviceAccountEmail: env.GMAIL_PUSH_SERVICE_ACCOUNT,
  });
  const notice = pubSubPushSchema.parse(await req.json());
  const database = await db();
  const mailbox = await findMailboxByAddress(database, "gmail", notice.emailAddress);
  if (!mailbox) {
    // Acknowledged so Pub/Sub stops retrying (a disconnected mailbox); the address is not logged in clear.
    log.info("gmail.push.unknown_mailbox", { addressHash: sha256Hex(notice.emailAddress).slice(0, 12) });
    return new Response(null, { status: 204 });
  }
  await enqueue(database, mailboxSyncJob, {
    mailboxId: mailbox.id,
    historyHint: notice.historyId,
    reason: "push",
  }); // persisted before we answer
  drainAfterResponse();
  return new Response(null, { status: 204 });
});
