// GET/POST /api/webhooks/whatsapp — Meta: URL verification, then message statuses and inbound messages
import { parseWebhook, verifySignature, verifySubscription } from "@/lib/channels/whatsapp/transform";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { forbidden, unauthorized } from "@/lib/errors/app-error";
import { drainAfterResponse } from "@/lib/http/after-response";
import { readBodyCapped } from "@/lib/http/read-body";
import { withWebhook } from "@/lib/http/route";
import { acknowledgeUnreadable } from "@/lib/http/unreadable-payload";
import { enqueue } from "@/lib/jobs/enqueue";
import { whatsAppEventJob } from "@/lib/jobs/whatsapp-event";
import { toEventPayload } from "@/lib/jobs/whatsapp-event-payload";

export const dynamic = "force-dynamic";
export const maxDuration = 30;

export const GET = withWebhook("whatsapp", async (req) => {
  const challenge = verifySubscription(new URL(req.url).searchParams, env.WHATSAPP_VERIFY_TOKEN);
  if (challenge === null) throw forbidden("Wrong verify token.");
  return new Response(challenge, { status: 200, headers: { "content-type": "text/plain" } });
});

/**
 * Meta batches at most 1,000 updates (MAX_WEBHOOK_ITEMS), a few hundred bytes each once the
 * payload holds no media: a body past this is refused (413) before the signature is computed.
 */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

function parse(raw: string) {
  try {
    return parseWebhook(JSON.parse(raw));
  } catch {
    return null;
  }
}

export const POST = withWebhook("whatsapp", async (req, { log }) => {
  const bytes = await readBodyCapped(req, MAX_BODY_BYTES);
  // The signature is over the exact bytes, before anything is decoded or parsed.
  if (!verifySignature(bytes, req.headers.get("x-hub-signature-256"), env.WHATSAPP_APP_SECRET)) {
    throw unauthorized("Missing or invalid X-Hub-Signature-256.");
  }
  const raw = new TextDecoder().decode(bytes);
  const database = await db();
  const parsed = parse(raw);
  // Signed by Meta but not a webhook we can read: acknowledged (Meta redelivers for days otherwise).
  if (!parsed)
    return acknowledgeUnreadable(database, log, {
      source: "whatsapp",
      rawBody: raw,
      reason: "not_a_webhook",
      status: 200,
    });
  // Persisted before we answer: if this throws, Meta gets a 5xx and delivers again.
  await Promise.all(
    parsed.events.map(async (event) => enqueue(database, whatsAppEventJob, await toEventPayload(event))),
  );
  // One line per request: counts only, never per item.
  log.info("whatsapp.webhook", {
    events: parsed.events.length,
    skipped: parsed.skipped,
    truncated: parsed.truncated,
  });
  // The instance's background drain, after the response. Outside a Next request (the local
  // simulator, tests, the bench) there is no `after`: those callers drain themselves.
  if (parsed.events.length > 0) drainAfterResponse(20_000);
  return new Response(null, { status: 200 });
});
