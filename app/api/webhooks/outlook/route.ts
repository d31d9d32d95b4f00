// POST /api/webhooks/outlook — Microsoft Graph change notifications and lifecycle events for every
// Outlook subscription (notificationUrl and lifecycleNotificationUrl), and Graph's validation handshake.
import { db } from "@/lib/db/client";
import { drainAfterResponse } from "@/lib/http/after-response";
import { withWebhook } from "@/lib/http/route";
import { acceptGraphNotifications } from "@/lib/jobs/graph-notifications";
import { parseGraphNotifications, validationResponse } from "@/lib/mail/outlook/notifications";

export const dynamic = "force-dynamic";

export const POST = withWebhook("outlook", async (req, { log }) => {
  // Graph waits 10 s for the echo while it creates a subscription: answered before any database work.
  const validationToken = validationResponse(new URL(req.url));
  if (validationToken !== null) {
    return new Response(validationToken, {
      status: 200,
      headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
    });
  }
  const notifications = parseGraphNotifications(JSON.parse(await req.text()));
  // Each item is checked against its subscription's clientState; persisted as jobs before we answer.
  const outcome = await acceptGraphNotifications(await db(), notifications, log);
  if (outcome.syncs + outcome.renews > 0) drainAfterResponse();
  // Graph wants an answer within 3 s, else it throttles and then drops the endpoint.
  return new Response(null, { status: 202 });
});
