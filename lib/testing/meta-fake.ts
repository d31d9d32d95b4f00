import { createHmac } from "node:crypto";
import { delay, HttpResponse, http } from "msw";

/**
 * msw fake of the WhatsApp Cloud API, shaped like Meta's documented payloads: POST
 * /{version}/{phone-number-id}/messages (sends and read receipts), POST /{version}/{waba-id}/message_templates,
 * Graph error bodies for the failures we handle, a latency, and builders of signed webhooks.
 *
 *   const meta = createMetaFake();
 *   beforeEach(() => server.use(...meta.handlers));
 *   meta.failNext(131047);            // the next send fails with "re-engagement message"
 */

export const FAKE_PHONE_NUMBER_ID = "106540352242922";
export const FAKE_DISPLAY_NUMBER = "2250101010101";
export const FAKE_WABA_ID = "102290129340398";

/** Code → [HTTP status, message, error_data.details], as the Cloud API answers them. */
const ERRORS = {
  131047: [400, "Re-engagement message", "More than 24 hours have passed since the customer last replied."],
  130429: [400, "Rate limit hit", "Cloud API message throughput has been reached."],
  131056: [
    400,
    "(Business Account, Consumer Account) pair rate limit hit",
    "Too many messages to one number.",
  ],
  80007: [400, "Rate limit issues", "The WhatsApp Business Account has reached its rate limit."],
  131026: [400, "Message Undeliverable", "Unable to deliver message."],
  // Meta's error-code reference: "Meta chose not to deliver" (healthy ecosystem engagement).
  131049: [
    400,
    "This message was not delivered to maintain healthy ecosystem engagement.",
    "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.",
  ],
  132000: [
    400,
    "Number of parameters does not match the expected number of params",
    "body: 3 params, 4 expected",
  ],
  132001: [404, "Template name does not exist in the translation", "template name does not exist in fr"],
  132012: [
    400,
    "Parameter format does not match format in the created template",
    "Parameter format mismatch.",
  ],
  190: [401, "Error validating access token: Session has expired", ""],
  500: [500, "An unknown error occurred", ""],
} as const satisfies Record<number, readonly [number, string, string]>;

/** A Graph error code, an HTTP 500, "hang" (nothing sent, no answer) or "hang_after_send" (sent, answer lost). */
export type MetaFailure = keyof typeof ERRORS | "hang" | "hang_after_send";

const known = (code: number) => (ERRORS as Record<number, readonly [number, string, string]>)[code];

/** A Graph API error body: `{ error: { message, type, code, error_data, error_subcode, fbtrace_id } }`. */
export function metaErrorBody(code: number, details?: string) {
  // An HTTP 500 carries Graph's generic code 1 ("An unknown error occurred").
  const graphCode = code === 500 ? 1 : code;
  return {
    error: {
      message: `(#${graphCode}) ${known(code)?.[1] ?? "Invalid parameter"}`,
      type: "OAuthException",
      code: graphCode,
      error_data: { messaging_product: "whatsapp", details: details ?? known(code)?.[2] ?? "" },
      fbtrace_id: "AbCdEfGhIjKlMnOpQrStUv",
    },
  };
}

export type SentMessage = {
  wamid: string;
  phoneNumberId: string;
  version: string;
  /** Digits, as sent. */
  to: string;
  type: string;
  alertId: string | null;
  body: Record<string, unknown>;
};

type Body = {
  messaging_product?: unknown;
  to?: unknown;
  type?: unknown;
  text?: { body?: string };
  interactive?: {
    body?: { text?: string };
    action?: { buttons?: Array<{ reply: { id: string; title: string } }> };
  };
  template?: { name?: string; components?: Array<{ parameters?: Array<{ text?: string }> }> };
};

/** `MessageRequest.type` (facebook/openapi business-messaging-api_v23.0.yaml). */
const MESSAGE_TYPES = [
  "text",
  "image",
  "audio",
  "video",
  "document",
  "location",
  "contacts",
  "template",
  "interactive",
  "reaction",
  "sticker",
];

/**
 * What the Cloud API refuses in a send, from facebook/openapi (business-messaging-api_v23.0.yaml:
 * MessageRequest, TextMessage, InteractiveObject's BodyObject/FooterObject/ActionObject,
 * TemplateMessage) and Meta's message-template parameter rules. The fake refuses the same
 * requests (error code 100, "Invalid parameter").
 */
function invalid(body: Body & Record<string, unknown>): string | null {
  // MessageRequest: messaging_product (enum: whatsapp), to and type are required;
  // recipient_type is individual or group.
  if (body.messaging_product !== "whatsapp") return "messaging_product must be whatsapp";
  if (body.recipient_type !== undefined && !["individual", "group"].includes(String(body.recipient_type)))
    return "recipient_type must be individual or group";
  if (typeof body.to !== "string" || !/^\d{7,15}$/.test(body.to)) return "to must be the number's digits";
  if (!MESSAGE_TYPES.includes(String(body.type))) return `type must be one of ${MESSAGE_TYPES.join(", ")}`;
  // TextMessage: text.body (4,096 characters at most).
  const text = body.text?.body ?? "";
  if (body.type === "text" && (text.length < 1 || text.length > 4096)) return "text.body: 1-4096 characters";
  const i = body.interactive as
    | (Body["interactive"] & {
        type?: string;
        footer?: { text?: string };
        header?: { type?: string; text?: string };
      })
    | undefined;
  const buttons = i?.action?.buttons ?? [];
  if (body.type === "interactive") {
    // Reply buttons: interactive.type "button"; body.text ≤ 1,024; footer.text and header.text ≤ 60;
    // 1 to 3 buttons, each of type "reply" with a unique, non-empty title ≤ 20 and an id ≤ 256
    // without leading or trailing spaces.
    if (i?.type === "list") return invalidList(i as unknown as ListBody);
    if (i?.type !== "button") return "interactive.type must be button or list";
    if (!i?.body?.text || i.body.text.length > 1024) return "interactive body: 1-1024 characters";
    if (i.footer && (!i.footer.text || i.footer.text.length > 60)) return "footer.text: 1-60 characters";
    if (i.header && (i.header.type !== "text" || !i.header.text || i.header.text.length > 60))
      return "header: a text of 1-60 characters";
    if (buttons.length < 1 || buttons.length > 3) return "1 to 3 buttons";
    const entries = buttons as Array<{ type?: string; reply: { id: string; title: string } }>;
    if (entries.some((b) => b.type !== "reply")) return 'button type must be "reply"';
    if (entries.some((b) => !b.reply.title || b.reply.title.length > 20 || b.reply.id.length > 256))
      return "button title or id too long";
    if (entries.some((b) => b.reply.id !== b.reply.id.trim()))
      return "button id has leading or trailing spaces";
    if (new Set(entries.map((b) => b.reply.title)).size !== entries.length)
      return "button titles must be unique";
  }
  // TemplateMessage: template.name and template.language.code.
  const template = body.template as (Body["template"] & { language?: { code?: string } }) | undefined;
  if (body.type === "template" && !template?.name) return "template.name is required";
  if (body.type === "template" && !template?.language?.code) return "template.language.code is required";
  const params = (template?.components ?? []).flatMap((c) => c.parameters ?? []);
  if (params.some((p) => /[\n\t]| {5}/.test(p.text ?? ""))) {
    return "Param text cannot have new-line/tab characters or more than 4 consecutive spaces";
  }
  return null;
}

type ListBody = {
  body?: { text?: string };
  action?: {
    button?: string;
    sections?: Array<{ title?: string; rows?: Array<{ id?: string; title?: string; description?: string }> }>;
  };
};

/**
 * Interactive list messages (Meta's "Interactive list messages" page): body.text 1-4,096,
 * action.button 1-20, 1-10 sections holding at most 10 rows in all, row id 1-200 and unique, row
 * title 1-24, description ≤ 72, a title (≤ 24) on each section when there are several.
 */
function invalidList(i: ListBody): string | null {
  const text = i.body?.text ?? "";
  if (text.length < 1 || text.length > 4096) return "list body: 1-4096 characters";
  const button = i.action?.button ?? "";
  if (button.length < 1 || button.length > 20) return "list action.button: 1-20 characters";
  const sections = i.action?.sections ?? [];
  if (sections.length < 1 || sections.length > 10) return "1 to 10 sections";
  if (sections.length > 1 && sections.some((s) => !s.title || s.title.length > 24))
    return "section titles (1-24) are required with several sections";
  const rows = sections.flatMap((s) => s.rows ?? []);
  if (rows.length < 1 || rows.length > 10) return "1 to 10 rows in all";
  if (rows.some((r) => !r.id || r.id.length > 200 || !r.title || r.title.length > 24))
    return "row id (1-200) and title (1-24) required";
  if (rows.some((r) => (r.description ?? "").length > 72)) return "row description: at most 72 characters";
  if (new Set(rows.map((r) => r.id)).size !== rows.length) return "row ids must be unique";
  return null;
}

const authorized = (request: Request) => /^Bearer \S+$/.test(request.headers.get("authorization") ?? "");

export function createMetaFake(options: { latencyMs?: number } = {}) {
  let latencyMs = options.latencyMs ?? 0;
  let counter = 0;
  const failures: MetaFailure[] = [];
  const sent: SentMessage[] = [];
  const requests: Array<{ url: string; body: unknown }> = [];
  const readReceipts: string[] = [];
  const templates: Array<{ wabaId: string; id: string; body: Record<string, unknown> }> = [];

  const messages = http.post(
    "https://graph.facebook.com/:version/:phoneId/messages",
    async ({ request, params }) => {
      const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
      requests.push({ url: request.url, body });
      if (latencyMs > 0) await delay(latencyMs);
      if (!authorized(request)) return HttpResponse.json(metaErrorBody(190), { status: 401 });
      if (!body) return HttpResponse.json(metaErrorBody(100, "Unexpected body"), { status: 400 });
      if (body.status === "read") {
        // MarkMessageRequestPayload: message_id, messaging_product and status are required.
        if (body.messaging_product !== "whatsapp" || typeof body.message_id !== "string") {
          return HttpResponse.json(metaErrorBody(100, "message_id and messaging_product are required"), {
            status: 400,
          });
        }
        readReceipts.push(String(body.message_id));
        return HttpResponse.json({ success: true });
      }
      const problem = invalid(body as Body & Record<string, unknown>);
      if (problem) return HttpResponse.json(metaErrorBody(100, problem), { status: 400 });

      const failure = failures.shift();
      if (failure === "hang") return delay("infinite").then(() => HttpResponse.json({}));
      if (typeof failure === "number")
        return HttpResponse.json(metaErrorBody(failure), { status: ERRORS[failure][0] });

      counter += 1;
      const wamid = `wamid.${Buffer.from(`HBgM${body.to}${String(counter).padStart(6, "0")}`).toString("base64")}`;
      sent.push({
        wamid,
        phoneNumberId: String(params.phoneId),
        version: String(params.version),
        to: String(body.to),
        type: String(body.type),
        alertId: typeof body.biz_opaque_callback_data === "string" ? body.biz_opaque_callback_data : null,
        body,
      });
      if (failure === "hang_after_send") return delay("infinite").then(() => HttpResponse.json({}));
      return HttpResponse.json({
        messaging_product: "whatsapp",
        contacts: [{ input: String(body.to), wa_id: String(body.to) }],
        messages: [{ id: wamid, ...(body.type === "template" ? { message_status: "accepted" } : {}) }],
      });
    },
  );

  const createTemplate = http.post(
    "https://graph.facebook.com/:version/:wabaId/message_templates",
    async ({ request, params }) => {
      const body = (await request.json()) as Record<string, unknown>;
      if (latencyMs > 0) await delay(latencyMs);
      if (!authorized(request)) return HttpResponse.json(metaErrorBody(190), { status: 401 });
      if (templates.some((t) => t.body.name === body.name && t.body.language === body.language)) {
        const error = metaErrorBody(
          100,
          `Content in ${String(body.language)} already exists for ${String(body.name)}`,
        );
        return HttpResponse.json({ error: { ...error.error, error_subcode: 2388024 } }, { status: 400 });
      }
      const id = String(1_000_000_000 + templates.length);
      templates.push({ wabaId: String(params.wabaId), id, body });
      return HttpResponse.json({ id, status: "PENDING", category: body.category });
    },
  );

  return {
    handlers: [messages, createTemplate],
    /** Messages Meta accepted, in order (a "hang_after_send" one included: it was delivered). */
    sent,
    /** Every body POSTed to /messages, accepted or not. */
    requests,
    /** Message ids marked as read. */
    readReceipts,
    /** Template creation requests that succeeded. */
    templates,
    /** Forgets every record and queued failure: a fresh fake for the next test. */
    reset() {
      for (const list of [sent, requests, readReceipts, templates, failures]) list.length = 0;
    },
    /** Queues failures, one per following send, in order. */
    failNext(...next: MetaFailure[]) {
      failures.push(...next);
    },
    setLatency(ms: number) {
      latencyMs = ms;
    },
  };
}

// ——— Webhooks ———

type Metadata = { display_phone_number: string; phone_number_id: string };
const metadata: Metadata = {
  display_phone_number: FAKE_DISPLAY_NUMBER,
  phone_number_id: FAKE_PHONE_NUMBER_ID,
};
const unix = (at: Date) => String(Math.floor(at.getTime() / 1000));
const digits = (phone: string) => phone.replace(/\D/g, "");
let inboundCounter = 0;
const inboundWamid = () => `wamid.${Buffer.from(`HBgMINBOUND${++inboundCounter}`).toString("base64")}`;

/** The envelope every webhook shares, around one `messages` change value. */
export function webhookEnvelope<V extends Record<string, unknown>>(value: V) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: FAKE_WABA_ID,
        changes: [{ value: { messaging_product: "whatsapp", metadata, ...value }, field: "messages" }],
      },
    ],
  };
}

/**
 * A status webhook. With `recipientUserId`, the shapes Meta documents for business-scoped user ids
 * (BSUID page, 2026-03): the status names `recipient_user_id`, a non-failed one adds a `contacts`
 * entry (`user_id`, `wa_id`), and `withholdPhone` drops `recipient_id` and `wa_id` as for a message
 * sent to a user id.
 */
export function statusWebhook(params: {
  wamid: string;
  status: "sent" | "delivered" | "read" | "failed";
  /** E.164 or digits. */
  recipient: string;
  recipientUserId?: string;
  withholdPhone?: boolean;
  alertId?: string | null;
  at?: Date;
  /** For "failed": the Graph error code (131026, 131047…). */
  errorCode?: number;
}) {
  const error = params.errorCode ? known(params.errorCode) : undefined;
  const phone = params.withholdPhone ? {} : { recipient_id: digits(params.recipient) };
  const contacts =
    params.recipientUserId && params.status !== "failed"
      ? {
          contacts: [
            {
              user_id: params.recipientUserId,
              ...(params.withholdPhone ? {} : { wa_id: digits(params.recipient) }),
            },
          ],
        }
      : {};
  return webhookEnvelope({
    ...contacts,
    statuses: [
      {
        id: params.wamid,
        status: params.status,
        timestamp: unix(params.at ?? new Date()),
        ...phone,
        ...(params.recipientUserId ? { recipient_user_id: params.recipientUserId } : {}),
        ...(params.alertId ? { biz_opaque_callback_data: params.alertId } : {}),
        ...(params.status !== "failed"
          ? {
              conversation: { id: "a75d17ad06104c51166f948319b03c6a", origin: { type: "utility" } },
              pricing: { billable: true, pricing_model: "PMP", category: "utility", type: "regular" },
            }
          : {}),
        ...(params.errorCode
          ? {
              errors: [
                {
                  code: params.errorCode,
                  title: error?.[1] ?? "Error",
                  message: error?.[1] ?? "Error",
                  error_data: { details: error?.[2] ?? "" },
                  href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
                },
              ],
            }
          : {}),
      },
    ],
  });
}

/**
 * `from`: the sender's number. `userId`: their business-scoped user id (BSUID), sent as
 * `from_user_id` and `contacts[].user_id`. `username` with `withholdPhone`: a user who adopted a
 * username and whose number Meta no longer shares — no `from`, no `wa_id` (BSUID page, 2026-03).
 */
type Inbound = {
  from: string;
  at?: Date;
  wamid?: string;
  name?: string;
  userId?: string;
  username?: string;
  withholdPhone?: boolean;
};

function inbound(params: Inbound, message: Record<string, unknown>) {
  const phone = params.withholdPhone ? null : digits(params.from);
  const profile = {
    name: params.name ?? "Awa Koné",
    ...(params.username ? { username: params.username } : {}),
  };
  return webhookEnvelope({
    contacts: [
      {
        profile,
        ...(phone ? { wa_id: phone } : {}),
        ...(params.userId ? { user_id: params.userId } : {}),
      },
    ],
    messages: [
      {
        ...(phone ? { from: phone } : {}),
        ...(params.userId ? { from_user_id: params.userId } : {}),
        id: params.wamid ?? inboundWamid(),
        timestamp: unix(params.at ?? new Date()),
        ...message,
      },
    ],
  });
}

export const textWebhook = (p: Inbound & { body: string }) =>
  inbound(p, { type: "text", text: { body: p.body } });

/** A tap on an interactive reply button; `contextWamid` is the message that carried it. */
export const buttonReplyWebhook = (p: Inbound & { buttonId: string; title: string; contextWamid?: string }) =>
  inbound(p, {
    context: { from: FAKE_DISPLAY_NUMBER, id: p.contextWamid ?? "wamid.CONTEXT" },
    type: "interactive",
    interactive: { type: "button_reply", button_reply: { id: p.buttonId, title: p.title } },
  });

/** A row picked in an interactive list; `contextWamid` is the list message. */
export const listReplyWebhook = (p: Inbound & { rowId: string; title: string; contextWamid?: string }) =>
  inbound(p, {
    context: { from: FAKE_DISPLAY_NUMBER, id: p.contextWamid ?? "wamid.CONTEXT" },
    type: "interactive",
    interactive: { type: "list_reply", list_reply: { id: p.rowId, title: p.title } },
  });

/** A text sent as a reply to one of our messages (WhatsApp's reply context). */
export const quotedTextWebhook = (p: Inbound & { body: string; contextWamid: string }) =>
  inbound(p, {
    context: { from: FAKE_DISPLAY_NUMBER, id: p.contextWamid },
    type: "text",
    text: { body: p.body },
  });

/** A tap on a template quick-reply button. */
export const templateButtonWebhook = (
  p: Inbound & { payload: string; text: string; contextWamid?: string },
) =>
  inbound(p, {
    context: { from: FAKE_DISPLAY_NUMBER, id: p.contextWamid ?? "wamid.CONTEXT" },
    type: "button",
    button: { payload: p.payload, text: p.text },
  });

export const imageWebhook = (p: Inbound) =>
  inbound(p, {
    type: "image",
    image: { mime_type: "image/jpeg", sha256: "c2hhMjU2", id: "1479537139650973", caption: "photo" },
  });

/** `X-Hub-Signature-256` of a body. */
export function signWebhookBody(rawBody: string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/** A POST to our webhook route, signed like Meta signs it (or with `signature` to forge one). */
export function signedWebhookRequest(
  payload: unknown,
  params: { appSecret: string; url?: string; signature?: string | null },
): Request {
  const raw = typeof payload === "string" ? payload : JSON.stringify(payload);
  const headers = new Headers({ "content-type": "application/json" });
  const signature =
    params.signature === undefined ? signWebhookBody(raw, params.appSecret) : params.signature;
  if (signature !== null) headers.set("x-hub-signature-256", signature);
  return new Request(params.url ?? "http://localhost:3000/api/webhooks/whatsapp", {
    method: "POST",
    headers,
    body: raw,
  });
}

/** Meta's GET verification of the webhook URL. */
export function verificationRequest(params: {
  verifyToken: string;
  challenge?: string;
  url?: string;
}): Request {
  const url = new URL(params.url ?? "http://localhost:3000/api/webhooks/whatsapp");
  url.searchParams.set("hub.mode", "subscribe");
  url.searchParams.set("hub.verify_token", params.verifyToken);
  url.searchParams.set("hub.challenge", params.challenge ?? "1158201444");
  return new Request(url, { method: "GET" });
}
