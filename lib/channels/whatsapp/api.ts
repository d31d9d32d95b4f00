import { z } from "zod";
import { graphUrl, type WhatsAppConfig } from "@/lib/channels/whatsapp/config";
import {
  errorFromResponse,
  InvalidRequestError,
  OutcomeUnknownError,
  TransientError,
  UnexpectedResponseError,
  type WhatsAppError,
} from "@/lib/channels/whatsapp/errors";
import { toWaId } from "@/lib/channels/whatsapp/wa-id";

/** Cloud API limits for reply-button messages (characters as JavaScript counts them: UTF-16 units, the stricter count). */
export const LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  headerText: 60,
  footerText: 60,
  buttons: 3,
  buttonId: 256,
  buttonTitle: 20,
  callbackData: 512,
} as const;

export const DEFAULT_TIMEOUT_MS = 10_000;

export type SendOptions = {
  /** Abort after this long; the outcome is then unknown (OutcomeUnknownError). */
  timeoutMs?: number;
  signal?: AbortSignal;
};

export type SendResult = {
  /** The WhatsApp message id (wamid), the key of every later status webhook. */
  wamid: string;
  /** The recipient as WhatsApp knows it (digits), when Meta returns it. */
  waId: string | null;
};

const sendResponseSchema = z.object({
  messaging_product: z.literal("whatsapp"),
  contacts: z.array(z.object({ input: z.string(), wa_id: z.string().optional() })).optional(),
  messages: z.array(z.object({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
});

const replyButtonSchema = z.object({
  id: z.string().min(1).max(LIMITS.buttonId),
  title: z.string().min(1).max(LIMITS.buttonTitle),
});
export type ReplyButton = z.infer<typeof replyButtonSchema>;

const interactiveSchema = z.object({
  body: z.string().min(1).max(LIMITS.interactiveBody),
  buttons: z
    .array(replyButtonSchema)
    .min(1)
    .max(LIMITS.buttons)
    .refine((b) => new Set(b.map((x) => x.id)).size === b.length, "button ids must be unique"),
  header: z.string().min(1).max(LIMITS.headerText).nullish(),
  footer: z.string().min(1).max(LIMITS.footerText).nullish(),
});

type Common = {
  /** E.164 with `+`. */
  to: string;
  /** Our alert id, echoed by Meta in every status webhook as `biz_opaque_callback_data`. */
  alertId?: string | null;
};

/** Template components as the Cloud API takes them when sending (body parameters, button payloads). */
export type TemplateComponent =
  | { type: "header" | "body"; parameters: Array<{ type: "text"; text: string }> }
  | {
      type: "button";
      sub_type: "quick_reply" | "url";
      index: string;
      parameters: Array<{ type: "payload"; payload: string } | { type: "text"; text: string }>;
    };

async function post(
  config: WhatsAppConfig,
  payload: Record<string, unknown>,
  options: SendOptions,
  template: string | null,
): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let response: Response;
  try {
    response = await fetch(graphUrl(config.apiVersion, config.phoneNumberId, "messages"), {
      method: "POST",
      headers: { authorization: `Bearer ${config.accessToken}`, "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal,
    });
  } catch (cause) {
    throw networkError(cause);
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch (cause) {
    if (isAbort(cause)) throw networkError(cause);
    if (response.ok)
      throw new UnexpectedResponseError(
        "WhatsApp answered 2xx without JSON",
        { httpStatus: response.status },
        { cause },
      );
  }
  if (!response.ok) {
    throw errorFromResponse(response.status, body, {
      template,
      retryAfterHeader: response.headers.get("retry-after"),
    });
  }
  return body;
}

function isAbort(cause: unknown): boolean {
  return cause instanceof DOMException && (cause.name === "TimeoutError" || cause.name === "AbortError");
}

/** Refused connections never reached Meta; anything else (timeout, reset mid-request) may have. */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function networkError(cause: unknown): WhatsAppError {
  if (isAbort(cause)) {
    return new OutcomeUnknownError(
      "No answer from WhatsApp in time: the message may have been sent",
      {},
      { cause },
    );
  }
  const code = (cause as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (typeof code === "string" && !NOT_SENT.has(code)) {
    return new OutcomeUnknownError(
      `The connection to WhatsApp broke (${code}): the message may have been sent`,
      {},
      { cause },
    );
  }
  return new TransientError(
    `Could not reach WhatsApp${typeof code === "string" ? ` (${code})` : ""}`,
    {},
    { cause },
  );
}

async function send(
  config: WhatsAppConfig,
  common: Common,
  message: Record<string, unknown>,
  options: SendOptions,
  template: string | null = null,
): Promise<SendResult> {
  if (common.alertId && common.alertId.length > LIMITS.callbackData) {
    throw new InvalidRequestError("The alert id is too long for biz_opaque_callback_data");
  }
  if (!/^\+[1-9]\d{6,14}$/.test(common.to))
    throw new InvalidRequestError("The recipient must be an E.164 number with a leading +");
  const payload = {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to: toWaId(common.to),
    ...(common.alertId ? { biz_opaque_callback_data: common.alertId } : {}),
    ...message,
  };
  const body = await post(config, payload, options, template);
  const parsed = sendResponseSchema.safeParse(body);
  if (!parsed.success)
    throw new UnexpectedResponseError("WhatsApp accepted the message but its answer has no message id");
  return { wamid: parsed.data.messages[0]!.id, waId: parsed.data.contacts?.[0]?.wa_id ?? null };
}

/** A plain text message (inside the 24 h window). Link previews stay off: links come from emails. */
export async function sendText(
  config: WhatsAppConfig,
  params: Common & { body: string },
  options: SendOptions = {},
): Promise<SendResult> {
  if (params.body.length === 0 || params.body.length > LIMITS.textBody) {
    throw new InvalidRequestError(`A text message must have 1 to ${LIMITS.textBody} characters`);
  }
  return send(config, params, { type: "text", text: { body: params.body, preview_url: false } }, options);
}

/** Up to 3 reply buttons (inside the 24 h window); the limits are checked before anything is sent. */
export async function sendInteractiveButtons(
  config: WhatsAppConfig,
  params: Common & { body: string; buttons: ReplyButton[]; header?: string | null; footer?: string | null },
  options: SendOptions = {},
): Promise<SendResult> {
  const checked = interactiveSchema.safeParse(params);
  if (!checked.success) {
    throw new InvalidRequestError(
      `Interactive message over the Cloud API limits: ${checked.error.issues[0]?.message}`,
    );
  }
  const { body, buttons, header, footer } = checked.data;
  const interactive = {
    type: "button",
    ...(header ? { header: { type: "text", text: header } } : {}),
    body: { text: body },
    ...(footer ? { footer: { text: footer } } : {}),
    action: { buttons: buttons.map((b) => ({ type: "reply", reply: { id: b.id, title: b.title } })) },
  };
  return send(config, params, { type: "interactive", interactive }, options);
}

/**
 * Cloud API list messages (Meta's "Interactive list messages" page): body text up to 4,096
 * characters, a menu button up to 20, at most 10 sections and 10 rows in all, a row's id up to
 * 200 characters, its title up to 24 and its description up to 72; a title on every section when
 * there are several.
 */
export const LIST_LIMITS = {
  body: 4096,
  button: 20,
  rows: 10,
  rowId: 200,
  rowTitle: 24,
  rowDescription: 72,
  sectionTitle: 24,
} as const;

const listSchema = z
  .object({
    body: z.string().min(1).max(LIST_LIMITS.body),
    button: z.string().min(1).max(LIST_LIMITS.button),
    sections: z
      .array(
        z.object({
          title: z.string().min(1).max(LIST_LIMITS.sectionTitle),
          rows: z
            .array(
              z.object({
                id: z.string().min(1).max(LIST_LIMITS.rowId),
                title: z.string().min(1).max(LIST_LIMITS.rowTitle),
                description: z.string().max(LIST_LIMITS.rowDescription).optional(),
              }),
            )
            .min(1),
        }),
      )
      .min(1)
      .max(10),
  })
  .refine((l) => l.sections.flatMap((s) => s.rows).length <= LIST_LIMITS.rows, "at most 10 rows in all")
  .refine((l) => {
    const ids = l.sections.flatMap((s) => s.rows.map((r) => r.id));
    return new Set(ids).size === ids.length;
  }, "row ids must be unique");

/** A list to pick from (inside the 24 h window); the limits are checked before anything is sent. */
export async function sendInteractiveList(
  config: WhatsAppConfig,
  params: Common & z.input<typeof listSchema>,
  options: SendOptions = {},
): Promise<SendResult> {
  const checked = listSchema.safeParse(params);
  if (!checked.success) {
    throw new InvalidRequestError(
      `List message over the Cloud API limits: ${checked.error.issues[0]?.message}`,
    );
  }
  const { body, button, sections } = checked.data;
  const interactive = { type: "list", body: { text: body }, action: { button, sections } };
  return send(config, params, { type: "interactive", interactive }, options);
}

/** An approved template (outside the window too). `language` is the template's code, e.g. "fr" or "en". */
export async function sendTemplate(
  config: WhatsAppConfig,
  params: Common & { name: string; language: string; components: TemplateComponent[] },
  options: SendOptions = {},
): Promise<SendResult> {
  // Meta refuses parameters with a newline, a tab or more than 4 spaces in a row (error 100/132018).
  const badParam = params.components
    .flatMap((c) => c.parameters)
    .find((p) => p.type === "text" && (/[\n\t]| {5}/.test(p.text) || p.text.trim() === ""));
  if (badParam)
    throw new InvalidRequestError("A template parameter is empty or has a newline, a tab or 5+ spaces");
  const template = { name: params.name, language: { code: params.language }, components: params.components };
  return send(config, params, { type: "template", template }, options, params.name);
}

/** Marks an inbound message as read (blue ticks), so the recipient sees we handled their reply. */
export async function markAsRead(
  config: WhatsAppConfig,
  messageId: string,
  options: SendOptions = {},
): Promise<void> {
  const body = await post(
    config,
    { messaging_product: "whatsapp", status: "read", message_id: messageId },
    options,
    null,
  );
  if (!z.object({ success: z.literal(true) }).safeParse(body).success) {
    throw new UnexpectedResponseError("WhatsApp did not confirm the read receipt");
  }
}
