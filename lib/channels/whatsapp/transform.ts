import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { fromWaId } from "@/lib/channels/whatsapp/wa-id";

/**
 * Meta's URL verification (GET): the challenge to echo when the mode is "subscribe" and the token
 * is ours, otherwise null (answer 403). The token comparison is constant-time.
 */
export function verifySubscription(searchParams: URLSearchParams, verifyToken: string): string | null {
  const challenge = searchParams.get("hub.challenge");
  if (searchParams.get("hub.mode") !== "subscribe" || challenge === null) return null;
  return safeEqual(searchParams.get("hub.verify_token") ?? "", verifyToken) ? challenge : null;
}

function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // timingSafeEqual throws on unequal lengths; comparing against itself keeps the time constant.
  if (x.length !== y.length) {
    timingSafeEqual(y, y);
    return false;
  }
  return timingSafeEqual(x, y);
}

/**
 * `X-Hub-Signature-256: sha256=<hex>` = HMAC-SHA256(raw body, app secret). Checked over the exact
 * bytes received, before any parsing; a missing, malformed or wrong header is false.
 */
export function verifySignature(
  rawBody: string | Uint8Array,
  header: string | null,
  appSecret: string,
): boolean {
  if (!header || !appSecret) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  return safeEqual(Buffer.from(match[1]!, "hex"), expected);
}

const unixSeconds = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    ctx.addIssue({ code: "custom", message: "timestamp must be unix seconds" });
    return z.NEVER;
  }
  return new Date(n * 1000);
});

const statusErrorSchema = z
  .object({
    code: z.number().int(),
    title: z.string().optional(),
    message: z.string().optional(),
    error_data: z.object({ details: z.string().optional() }).loose().optional(),
  })
  .loose();

const statusSchema = z
  .object({
    id: z.string().min(1),
    status: z.enum(["sent", "delivered", "read", "failed"]).or(z.string()),
    timestamp: unixSeconds,
    recipient_id: z.string().optional(),
    biz_opaque_callback_data: z.string().optional(),
    errors: z.array(statusErrorSchema).optional(),
  })
  .loose();

const messageSchema = z
  .object({
    from: z.string().min(1),
    id: z.string().min(1),
    timestamp: unixSeconds,
    type: z.string(),
    context: z.object({ id: z.string().optional() }).loose().optional(),
    text: z.object({ body: z.string() }).optional(),
    interactive: z
      .object({
        type: z.string(),
        button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
        list_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      })
      .loose()
      .optional(),
    button: z.object({ payload: z.string().optional(), text: z.string() }).optional(),
  })
  .loose();

const changeSchema = z
  .object({
    field: z.string(),
    value: z
      .object({
        messaging_product: z.string().optional(),
        metadata: z.object({ display_phone_number: z.string(), phone_number_id: z.string() }).optional(),
        messages: z.array(messageSchema).optional(),
        statuses: z.array(statusSchema).optional(),
      })
      .loose(),
  })
  .loose();

export const webhookPayloadSchema = z.object({
  object: z.string(),
  entry: z.array(z.object({ id: z.string(), changes: z.array(changeSchema) }).loose()),
});

export type WebhookStatus = "sent" | "delivered" | "read" | "failed";

/**
 * Webhooks arrive out of order and more than once: a status only replaces one of lower rank
 * ("delivered" never overwrites "read"). "failed" outranks all — Meta sends it instead of the rest.
 */
export const STATUS_RANK: Record<WebhookStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

export type StatusEvent = {
  kind: "status";
  wamid: string;
  status: WebhookStatus;
  at: Date;
  /** E.164 with `+`, or null when Meta omits it. */
  recipient: string | null;
  /** Our alert id, from `biz_opaque_callback_data`. */
  alertId: string | null;
  /** Set on `failed`: Meta's first error. */
  error?: { code: number; title: string | null; message: string | null; details: string | null };
  phoneNumberId: string | null;
};

export type InboundEvent = {
  kind: "inbound";
  wamid: string;
  /** The sender, E.164 with `+`. */
  from: string;
  at: Date;
  /** The typed text, or a button's title; null for media and other types. */
  text: string | null;
  /** A reply button's id or a template quick reply's payload. */
  buttonId: string | null;
  /** The wamid of our message the user replied to (button taps always carry it). */
  contextWamid: string | null;
  type: string;
  phoneNumberId: string | null;
};

export type WebhookEvent = StatusEvent | InboundEvent;

export class WebhookPayloadError extends Error {}

const KNOWN_STATUSES = new Set<string>(["sent", "delivered", "read", "failed"]);

function inboundEvent(m: z.infer<typeof messageSchema>, phoneNumberId: string | null): InboundEvent {
  const base = {
    kind: "inbound" as const,
    wamid: m.id,
    from: fromWaId(m.from),
    at: m.timestamp,
    type: m.type,
  };
  const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
  let text: string | null = null;
  let buttonId: string | null = null;
  if (m.type === "text" && m.text) text = m.text.body;
  else if (m.type === "interactive" && reply) [text, buttonId] = [reply.title, reply.id];
  // A template quick reply: `payload` is what we set when sending (Meta falls back to the text).
  else if (m.type === "button" && m.button) [text, buttonId] = [m.button.text, m.button.payload ?? null];
  return { ...base, text, buttonId, contextWamid: m.context?.id ?? null, phoneNumberId };
}

/**
 * Flattens a (signature-checked) webhook body into events, in payload order. Changes other than
 * `messages` (template reviews, quality updates) and unknown statuses yield nothing; a body that is
 * not the documented shape throws WebhookPayloadError (answer 400).
 */
export function parseWebhook(json: unknown): WebhookEvent[] {
  const parsed = webhookPayloadSchema.safeParse(json);
  if (!parsed.success)
    throw new WebhookPayloadError(`Not a WhatsApp webhook payload: ${parsed.error.issues[0]?.message}`);
  if (parsed.data.object !== "whatsapp_business_account") return [];
  const events: WebhookEvent[] = [];
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== "messages") continue;
      const phoneNumberId = change.value.metadata?.phone_number_id ?? null;
      for (const s of change.value.statuses ?? []) {
        if (!KNOWN_STATUSES.has(s.status)) continue;
        const first = s.errors?.[0];
        events.push({
          kind: "status",
          wamid: s.id,
          status: s.status as WebhookStatus,
          at: s.timestamp,
          recipient: s.recipient_id ? fromWaId(s.recipient_id) : null,
          alertId: s.biz_opaque_callback_data || null,
          phoneNumberId,
          ...(first
            ? {
                error: {
                  code: first.code,
                  title: first.title ?? null,
                  message: first.message ?? null,
                  details: first.error_data?.details ?? null,
                },
              }
            : {}),
        });
      }
      for (const m of change.value.messages ?? []) events.push(inboundEvent(m, phoneNumberId));
    }
  }
  return events;
}
