// POST /api/webhooks/outlook — Microsoft Graph change notifications and lifecycle events for every
// Outlook subscription (notificationUrl and lifecycleNotificationUrl), and Graph's validation handshake.
import { db } from "@/lib/db/client";
import { drainAfterResponse } from "@/lib/http/after-response";
import { readTextCapped } from "@/lib/http/read-body";
import { withWebhook } from "@/lib/http/route";
import { acknowledgeUnreadable } from "@/lib/http/unreadable-payload";
import { acceptGraphNotifications } from "@/lib/jobs/graph-notifications";
import { parseGraphNotifications, validationResponse } from "@/lib/mail/outlook/notifications";

export const dynamic = "force-dynamic";

/**
 * 1,000 notifications (MAX_GRAPH_BATCH_ITEMS) of about 600 bytes each fit well below this; a body
 * past it is refused (413) before anything is parsed.
 */
const MAX_BODY_BYTES = 1024 * 1024;

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

export const POST = withWebhook("outlook", async (req, { log }) => {
  // Graph waits 10 s for the echo while it creates a subscription: answered before any database work.
  const validationToken = validationResponse(new URL(req.url));
  if (validationToken !== null) {
    return new Response(validationToken, {
      status: 200,
      headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
    });
  }
  const raw = await readTextCapped(req, MAX_BODY_BYTES);
  const database = await db();
  const batch = parseGraphNotifications(parseJson(raw));
  if (!batch)
    return acknowledgeUnreadable(database, log, {
      source: "outlook",
      rawBody: raw,
      reason: "not_a_notification_collection",
      status: 202,
    });
  // Each item is checked against its subscription's clientState; persisted as jobs before we answer.
  const outcome = await acceptGraphNotifications(database, batch.items);
  // One line per request, whatever the batch holds (never one per item).
  log.info("outlook.notifications", {
    items: batch.items.length,
    malformed: batch.malformed,
    truncated: batch.truncated,
    accepted: outcome.accepted,
    ignored: outcome.ignoredBy,
    syncs: outcome.syncs,
    renews: outcome.renews,
  });
  if (outcome.syncs + outcome.renews > 0) drainAfterResponse();
  // Graph wants an answer within 3 s, else it throttles and then drops the endpoint.
  return new Response(null, { status: 202 });
});
