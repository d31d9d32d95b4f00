import { createHmac, timingSafeEqual } from "node:crypto";
import { fromWaId } from "@/lib/channels/whatsapp/wa-id";
import {
  type Contact,
  changeValueSchema,
  contactSchema,
  envelopeSchema,
  type MessageItem,
  messageItemSchema,
  type StatusItem,
  statusItemSchema,
} from "@/lib/channels/whatsapp/webhook-schema";
import { cleanJson } from "@/lib/domain/clean-text";

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

export type WebhookStatus = "sent" | "delivered" | "read" | "failed";

export type StatusEvent = {
  kind: "status";
  wamid: string;
  status: WebhookStatus;
  at: Date;
  /** The number we sent to, E.164 with `+`; null when we sent to a user id or Meta omits it. */
  recipient: string | null;
  /** The recipient's business-scoped user id, when Meta sends it. */
  recipientUserId: string | null;
  /** Our alert id, from `biz_opaque_callback_data`. */
  alertId: string | null;
  /** Set on `failed`: Meta's first error. */
  error?: { code: number; title: string | null; message: string | null; details: string | null };
  phoneNumberId: string | null;
};

export type InboundEvent = {
  kind: "inbound";
  wamid: string;
  /** The sender's number, E.164 with `+`; null when Meta withholds it (a username user). */
  from: string | null;
  /** The sender's business-scoped user id. At least one of `from` and `fromUserId` is set. */
  fromUserId: string | null;
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

/**
 * Meta batches at most 1,000 updates in one webhook POST (Meta's Webhooks documentation); we read
 * no more than that from one body, counting the rest as truncated.
 */
export const MAX_WEBHOOK_ITEMS = 1000;

export type ParsedWebhook = {
  events: WebhookEvent[];
  /** Items of the documented arrays that do not have the documented shape: skipped, counted. */
  skipped: number;
  truncated: number;
};

const KNOWN_STATUSES = new Set<string>(["sent", "delivered", "read", "failed"]);

function statusEvent(s: StatusItem, phoneNumberId: string | null): StatusEvent | null {
  if (!KNOWN_STATUSES.has(s.status)) return null;
  const first = s.errors?.[0];
  return {
    kind: "status",
    wamid: s.id,
    status: s.status as WebhookStatus,
    at: s.timestamp,
    recipient: s.recipient_id ? fromWaId(s.recipient_id) : null,
    recipientUserId: s.recipient_user_id ?? null,
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
  };
}

/** The contact entry of a message's sender: the only one, or the one naming the same identifier. */
function senderContact(m: MessageItem, contacts: Contact[]): Contact | undefined {
  if (contacts.length === 1) return contacts[0];
  return contacts.find(
    (c) => (m.from && c.wa_id === m.from) || (m.from_user_id && c.user_id === m.from_user_id),
  );
}

function inboundEvent(
  m: MessageItem,
  contacts: Contact[],
  phoneNumberId: string | null,
): InboundEvent | null {
  const contact = senderContact(m, contacts);
  const waId = m.from ?? contact?.wa_id;
  const userId = m.from_user_id ?? contact?.user_id ?? null;
  if (!waId && !userId) return null;
  const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
  let text: string | null = null;
  let buttonId: string | null = null;
  if (m.type === "text" && m.text) text = m.text.body;
  else if (m.type === "interactive" && reply) [text, buttonId] = [reply.title, reply.id];
  // A template quick reply: `payload` is what we set when sending (Meta falls back to the text).
  else if (m.type === "button" && m.button) [text, buttonId] = [m.button.text, m.button.payload ?? null];
  return {
    kind: "inbound",
    wamid: m.id,
    from: waId ? fromWaId(waId) : null,
    fromUserId: userId,
    at: m.timestamp,
    type: m.type,
    text,
    buttonId,
    contextWamid: m.context?.id ?? null,
    phoneNumberId,
  };
}

/**
 * Flattens a (signature-checked) webhook body into events, in payload order, item by item: an
 * item that is not the documented shape (or names no sender) is skipped and counted, the rest are
 * kept. Changes other than `messages` (template reviews, quality updates) and unknown statuses
 * yield nothing. Null when the body is not a webhook envelope at all. Strings are cleaned first
 * (NUL, controls, lone surrogates) so what we store always fits in jsonb.
 */
export function parseWebhook(json: unknown): ParsedWebhook | null {
  const parsed = envelopeSchema.safeParse(cleanJson(json));
  if (!parsed.success) return null;
  const result: ParsedWebhook = { events: [], skipped: 0, truncated: 0 };
  if (parsed.data.object !== "whatsapp_business_account") return result;
  let budget = MAX_WEBHOOK_ITEMS;
  const take = (items: unknown[] | undefined, read: (raw: unknown) => WebhookEvent | null | "skip") => {
    for (const raw of items ?? []) {
      if (budget <= 0) {
        result.truncated++;
        continue;
      }
      budget--;
      const event = read(raw);
      if (event === "skip") result.skipped++;
      else if (event) result.events.push(event);
    }
  };
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== "messages") continue;
      const value = changeValueSchema.safeParse(change.value);
      if (!value.success) {
        result.skipped++;
        continue;
      }
      const phoneNumberId = value.data.metadata?.phone_number_id ?? null;
      const contacts = (value.data.contacts ?? []).flatMap((c) => {
        const contact = contactSchema.safeParse(c);
        return contact.success ? [contact.data] : [];
      });
      take(value.data.statuses, (raw) => {
        const item = statusItemSchema.safeParse(raw);
        return item.success ? statusEvent(item.data, phoneNumberId) : "skip";
      });
      take(value.data.messages, (raw) => {
        const item = messageItemSchema.safeParse(raw);
        return item.success ? (inboundEvent(item.data, contacts, phoneNumberId) ?? "skip") : "skip";
      });
    }
  }
  return result;
}
