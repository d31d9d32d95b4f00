import { z } from "zod";

/**
 * The `messages` webhook of the WhatsApp Cloud API, item by item. Field names and which fields
 * are optional come from Meta's messages-webhook reference and its business-scoped user id page
 * (developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids,
 * updated 2026-03-31; partner guides of 360dialog and Dualhook list the same fields), and from the
 * `StatusMessageValue` / `IncomingMessageValueGeneral` schemas of facebook/openapi
 * (business-messaging-api_v23.0.yaml, which predates the user ids):
 * - inbound messages carry `from` (the number) only when Meta shares it, and `from_user_id` (the
 *   BSUID) once user ids are live; `contacts[]` carries `wa_id` (number, optional for username
 *   users), `user_id`, `parent_user_id` and `profile.username`;
 * - statuses carry `recipient_id` (the number; absent when we sent to a user id) and
 *   `recipient_user_id`; sent/delivered/read may carry `conversation` and `pricing`; a failed one
 *   carries `errors[]` and no `contacts`.
 */

/** "CI.13491208655302741918" or the parent form "US.ENT.11815799212886844830". */
export const bsuidSchema = z.string().regex(/^[A-Za-z]{2}\.[A-Za-z0-9.]{1,140}$/);
/** A number as Meta writes it: digits, no `+`. */
const waIdSchema = z.string().regex(/^\d{6,15}$/);

export const unixSeconds = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 32_503_680_000) {
    ctx.addIssue({ code: "custom", message: "timestamp must be unix seconds" });
    return z.NEVER;
  }
  return new Date(n * 1000);
});

const short = (max: number) => z.string().transform((s) => s.slice(0, max));

export const statusErrorSchema = z
  .object({
    code: z.number().int(),
    title: short(300).optional(),
    message: short(300).optional(),
    error_data: z
      .object({ details: short(500).optional() })
      .loose()
      .optional(),
  })
  .loose();

export const statusItemSchema = z
  .object({
    id: z.string().min(1).max(256),
    status: z.string(),
    timestamp: unixSeconds,
    recipient_id: waIdSchema.optional(),
    recipient_user_id: bsuidSchema.optional(),
    biz_opaque_callback_data: z.string().max(512).optional(),
    conversation: z.object({ id: z.string().optional() }).loose().optional(),
    pricing: z
      .object({ billable: z.boolean().optional(), category: z.string().optional() })
      .loose()
      .optional(),
    errors: z.array(statusErrorSchema).optional(),
  })
  .loose();

export const messageItemSchema = z
  .object({
    from: waIdSchema.optional(),
    from_user_id: bsuidSchema.optional(),
    id: z.string().min(1).max(256),
    timestamp: unixSeconds,
    type: z.string().max(64),
    context: z
      .object({ id: z.string().max(256).optional() })
      .loose()
      .optional(),
    text: z.object({ body: z.string() }).loose().optional(),
    interactive: z
      .object({
        type: z.string(),
        button_reply: z.object({ id: z.string(), title: z.string() }).loose().optional(),
        list_reply: z.object({ id: z.string(), title: z.string() }).loose().optional(),
      })
      .loose()
      .optional(),
    button: z.object({ payload: z.string().optional(), text: z.string() }).loose().optional(),
  })
  .loose();

export const contactSchema = z
  .object({
    wa_id: waIdSchema.optional(),
    user_id: bsuidSchema.optional(),
    parent_user_id: bsuidSchema.optional(),
    profile: z.object({ name: z.string().optional(), username: z.string().optional() }).loose().optional(),
  })
  .loose();

/** The envelope only: items are read one by one, so one bad item never costs the batch. */
export const envelopeSchema = z.object({
  object: z.string(),
  entry: z.array(
    z
      .object({
        id: z.string().optional(),
        changes: z.array(z.object({ field: z.string(), value: z.unknown() }).loose()),
      })
      .loose(),
  ),
});

export const changeValueSchema = z
  .object({
    metadata: z.object({ phone_number_id: z.string() }).loose().optional(),
    contacts: z.array(z.unknown()).optional(),
    messages: z.array(z.unknown()).optional(),
    statuses: z.array(z.unknown()).optional(),
  })
  .loose();

export type StatusItem = z.infer<typeof statusItemSchema>;
export type MessageItem = z.infer<typeof messageItemSchema>;
export type Contact = z.infer<typeof contactSchema>;
