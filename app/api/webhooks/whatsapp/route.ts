// GET/POST /api/webhooks/whatsapp — Meta: URL verification, then message statuses and inbound messages
import { after } from "next/server";
import { db } from "@/lib/db/client";
import type { Db } from "@/lib/db/port";
import { env } from "@/lib/env";
import { badRequest, forbidden, unauthorized } from "@/lib/http/app-error";
import { withWebhook } from "@/lib/http/route";
import { drainJobs } from "@/lib/jobs/drain";
import { enqueue } from "@/lib/jobs/enqueue";
import { jobRegistry } from "@/lib/jobs/registry";
import { whatsAppEventJob } from "@/lib/jobs/whatsapp-event";
import type { Logger } from "@/lib/log";
import {
  parseWebhook,
  verifySignature,
  verifySubscription,
  WebhookPayloadError,
} from "@/lib/whatsapp/webhook";

export const dynamic = "force-dynamic";
export const maxDuration = 30;

export const GET = withWebhook("whatsapp", async (req) => {
  const challenge = verifySubscription(new URL(req.url).searchParams, env.WHATSAPP_VERIFY_TOKEN);
  if (challenge === null) throw forbidden("Wrong verify token.");
  return new Response(challenge, { status: 200, headers: { "content-type": "text/plain" } });
});

function parse(raw: string) {
  try {
    return parseWebhook(JSON.parse(raw));
  } catch (error) {
    if (error instanceof SyntaxError) throw badRequest("Body is not valid JSON.");
    if (error instanceof WebhookPayloadError) throw badRequest(error.message);
    throw error;
  }
}

/**
 * Drains after the response. Outside a Next request (in-process callers: the local simulator,
 * tests, the bench) there is no `after`: those callers drain themselves, and the cron drains anyway.
 */
function drainAfterResponse(database: Db, log: Logger) {
  try {
    after(() => drainJobs(database, jobRegistry(), { budgetMs: 20_000, log }));
  } catch {
    log.debug("whatsapp.webhook_no_after");
  }
}

export const POST = withWebhook("whatsapp", async (req, { log }) => {
  const raw = await req.text();
  if (!verifySignature(raw, req.headers.get("x-hub-signature-256"), env.WHATSAPP_APP_SECRET)) {
    throw unauthorized("Missing or invalid X-Hub-Signature-256.");
  }
  const events = parse(raw);
  const database = await db();
  // Persisted before we answer: if this throws, Meta gets a 5xx and delivers again.
  await Promise.all(events.map((event) => enqueue(database, whatsAppEventJob, event)));
  log.info("whatsapp.webhook", { events: events.length });
  if (events.length > 0) drainAfterResponse(database, log);
  return new Response(null, { status: 200 });
});
