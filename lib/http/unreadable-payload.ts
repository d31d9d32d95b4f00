import type { Db } from "@/lib/db/port";
import { recordWebhookRejection, type WebhookSource } from "@/lib/db/webhook-rejections";
import { sha256Hex } from "@/lib/http/constant-time";
import type { Logger } from "@/lib/log";

/**
 * A webhook body we cannot read, from a sender we trust (or one that signs nothing): acknowledged
 * with `status` so the vendor stops redelivering it (a 4xx makes Pub/Sub retry for days and Graph
 * for hours, and the same bytes never parse), logged with the payload's hash and the reason — never
 * its content — and counted on /api/health. If the count cannot be stored the error propagates
 * (5xx): losing sight of it is worse than one redelivery.
 */
export async function acknowledgeUnreadable(
  db: Db,
  log: Logger,
  p: { source: WebhookSource; rawBody: string; reason: string; status?: number },
): Promise<Response> {
  const payloadSha256 = sha256Hex(p.rawBody);
  const reason = p.reason.slice(0, 64);
  await recordWebhookRejection(db, p.source, reason, payloadSha256);
  log.warn("webhook.unreadable", { source: p.source, reason, payloadSha256, bytes: p.rawBody.length });
  return new Response(null, { status: p.status ?? 204 });
}
