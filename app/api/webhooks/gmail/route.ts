// POST /api/webhooks/gmail — Cloud Pub/Sub push for every watched Gmail inbox.
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { drainAfterResponse } from "@/lib/http/after-response";
import { sha256Hex } from "@/lib/http/constant-time";
import { readTextCapped } from "@/lib/http/read-body";
import { withWebhook } from "@/lib/http/route";
import { acknowledgeUnreadable } from "@/lib/http/unreadable-payload";
import { enqueueSyncForPushTo } from "@/lib/jobs/mailbox-poll";
import { ProviderUnavailableError } from "@/lib/mail/errors";
import { pubSubPushSchema } from "@/lib/mail/gmail/push-envelope";
import { verifyPubSubToken } from "@/lib/mail/gmail/push-token";

export const dynamic = "force-dynamic";

/** The notice in a verified push, or why it cannot be read (the same bytes would never parse). */
function readPush(raw: string) {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false as const, reason: "not_json" };
  }
  const result = pubSubPushSchema.safeParse(json);
  if (result.success) return { ok: true as const, notice: result.data };
  return { ok: false as const, reason: `schema:${result.error.issues[0]?.path.join(".") || "body"}` };
}

export const POST = withWebhook("gmail", async (req, { log }) => {
  if (!env.GMAIL_PUSH_AUDIENCE || !env.GMAIL_PUSH_SERVICE_ACCOUNT) {
    throw new AppError("not_configured", "Gmail push is not configured on this server.");
  }
  try {
    await verifyPubSubToken(req.headers.get("authorization"), {
      audience: env.GMAIL_PUSH_AUDIENCE,
      serviceAccountEmail: env.GMAIL_PUSH_SERVICE_ACCOUNT,
    });
  } catch (error) {
    if (!(error instanceof ProviderUnavailableError)) throw error;
    // Google's keys could not be fetched for a token that claims to be our push: not our caller's
    // fault and not a crash. 503 so Pub/Sub redelivers; a warning, not an error report.
    log.warn("gmail.push.keys_unavailable");
    return new Response(null, { status: 503, headers: { "retry-after": "30" } });
  }
  // Gmail's notification is a few hundred bytes inside Pub/Sub's envelope.
  const raw = await readTextCapped(req, 64 * 1024);
  const database = await db();
  const parsed = readPush(raw);
  if (!parsed.ok)
    return acknowledgeUnreadable(database, log, { source: "gmail", rawBody: raw, reason: parsed.reason });
  const notice = parsed.notice;
  // Looked up and its sync persisted before we answer, in one round trip.
  const mailboxId = await enqueueSyncForPushTo(database, "gmail", notice.emailAddress, notice.historyId);
  if (!mailboxId) {
    // Acknowledged so Pub/Sub stops retrying (a disconnected mailbox); the address is not logged in clear.
    log.info("gmail.push.unknown_mailbox", { addressHash: sha256Hex(notice.emailAddress).slice(0, 12) });
    return new Response(null, { status: 204 });
  }
  drainAfterResponse();
  return new Response(null, { status: 204 });
});
