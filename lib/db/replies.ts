import { z } from "zod";
import type { JobSpec } from "@/lib/db/job-spec";
import { call, type Db, isoDate, nullableIsoDate } from "@/lib/db/port";
import { localeEnum, messageSchema, recipientSchema } from "@/lib/db/schemas";

/** Reply templates, permissions and drafts (supabase/migrations/20261204100900_replies.sql). */

export const replyTemplateSchema = z.object({
  id: z.string(),
  locale: localeEnum,
  title: z.string(),
  body: z.string(),
  approved: z.boolean(),
  approvedBy: z.string().nullable(),
  approvedAt: nullableIsoDate,
  position: z.number(),
  updatedAt: isoDate,
});
export type ReplyTemplate = z.infer<typeof replyTemplateSchema>;

const replySettingsSchema = z.object({
  templates: z.array(replyTemplateSchema),
  recipients: z.array(
    z.object({ id: z.string(), name: z.string(), role: z.string(), mayReply: z.boolean() }),
  ),
});

export type TemplateInput = { locale: "fr" | "en"; title: string; body: string; position?: number };

/** The templates (the defaults added once, unapproved) and who may reply. */
export const getReplySettings = (db: Db, organizationId: string, defaults: TemplateInput[]) =>
  call(
    db,
    "reply_settings_get",
    { p_organization_id: organizationId, p_defaults: defaults },
    replySettingsSchema,
  );

export const saveReplyTemplate = (
  db: Db,
  organizationId: string,
  actor: string,
  template: Partial<TemplateInput> & { id?: string; approved: boolean },
) =>
  call(
    db,
    "reply_template_save",
    { p_organization_id: organizationId, p_actor: actor, p_template: template },
    replyTemplateSchema,
  );

export const deleteReplyTemplate = (db: Db, organizationId: string, templateId: string, actor: string) =>
  call(
    db,
    "reply_template_delete",
    { p_organization_id: organizationId, p_template_id: templateId, p_actor: actor },
    z.object({ deleted: z.boolean() }),
  );

export const setMayReply = (
  db: Db,
  organizationId: string,
  recipientId: string,
  mayReply: boolean,
  actor: string,
) =>
  call(
    db,
    "recipient_set_may_reply",
    { p_organization_id: organizationId, p_recipient_id: recipientId, p_may_reply: mayReply, p_actor: actor },
    z.object({ id: z.string(), mayReply: z.boolean() }),
  );

const mailboxRefSchema = z.object({
  id: z.string(),
  provider: z.enum(["gmail", "outlook", "sandbox"]),
  address: z.string(),
  status: z.string(),
});

const replyTargetSchema = z.object({
  alertId: z.string(),
  recipient: recipientSchema,
  mayReply: z.boolean(),
  message: messageSchema,
  mailbox: mailboxRefSchema,
  templates: z.array(replyTemplateSchema),
});
export type ReplyTarget = z.infer<typeof replyTargetSchema>;

/** The alert a "Répondre" tap names, seen by the tapping number's recipient of its organization. */
export const getReplyTarget = (db: Db, alertId: string, recipientIds: string[]) =>
  call(
    db,
    "reply_target",
    { p_alert_id: alertId, p_recipient_ids: recipientIds },
    replyTargetSchema.nullable(),
  );

export const replyDraftSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  messageId: z.string(),
  recipientId: z.string().nullable(),
  origin: z.enum(["whatsapp", "auto"]),
  templateId: z.string().nullable(),
  bodySealed: z.string().nullable(),
  bodySha256: z.string().nullable(),
  toAddress: z.string(),
  toName: z.string().nullable(),
  status: z.enum(["composing", "awaiting", "sending", "sent", "cancelled", "expired", "failed"]),
  promptAlertId: z.string().nullable(),
  decidedBy: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  error: z.string().nullable(),
  sentAt: nullableIsoDate,
  expiresAt: isoDate,
  createdAt: isoDate,
});
export type ReplyDraft = z.infer<typeof replyDraftSchema>;

export type DraftInput = {
  messageId: string;
  recipientId: string;
  inboundWamid: string;
  templateId: string | null;
  bodySealed: string | null;
  bodySha256: string | null;
  toAddress: string;
  toName: string | null;
  status: "composing" | "awaiting";
  expiresAt: Date;
};

export const openDraft = (db: Db, draft: DraftInput) =>
  call(db, "reply_draft_open", { p_draft: draft }, replyDraftSchema);

export const setDraftPrompt = (db: Db, draftId: string, alertId: string) =>
  call(db, "reply_draft_prompt", { p_draft_id: draftId, p_alert_id: alertId }, z.unknown());

const textTargetSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("alert"), alertId: z.string() }),
    z.object({ kind: z.literal("draft"), draftId: z.string() }),
  ])
  .nullable();

/** Where a text from these recipients goes (the alert or draft it quotes, or a draft waiting for text). */
export const findTextTarget = (db: Db, contextWamid: string | null, recipientIds: string[], now: Date) =>
  call(
    db,
    "reply_find_for_text",
    { p_context_wamid: contextWamid, p_recipient_ids: recipientIds, p_now: now },
    textTargetSchema,
  );

export const fillDraft = (
  db: Db,
  p: { draftId: string; bodySealed: string; bodySha256: string; expiresAt: Date },
) =>
  call(
    db,
    "reply_draft_fill",
    {
      p_draft_id: p.draftId,
      p_body_sealed: p.bodySealed,
      p_body_sha256: p.bodySha256,
      p_expires_at: p.expiresAt,
    },
    replyDraftSchema.nullable(),
  );

const decisionSchema = z.object({
  outcome: z.enum([
    "queued",
    "cancelled",
    "already_sent",
    "already_sending",
    "already_cancelled",
    "expired",
    "handled",
    "forbidden",
    "no_text",
    "not_found",
  ]),
  draft: replyDraftSchema.optional(),
  handledAt: nullableIsoDate.optional(),
});
export type DraftDecision = z.infer<typeof decisionSchema>;

export const decideDraft = (
  db: Db,
  p: { draftId: string; recipientIds: string[]; decision: "send" | "cancel"; job: JobSpec; now: Date },
) =>
  call(
    db,
    "reply_draft_decide",
    {
      p_draft_id: p.draftId,
      p_recipient_ids: p.recipientIds,
      p_decision: p.decision,
      p_job: p.job,
      p_now: p.now,
    },
    decisionSchema,
  );

const sendContextSchema = z.object({
  draft: replyDraftSchema,
  message: messageSchema,
  mailbox: mailboxRefSchema,
  recipient: recipientSchema.nullable(),
});
export type ReplySendContext = z.infer<typeof sendContextSchema>;

export const getReplySendContext = (db: Db, draftId: string) =>
  call(db, "reply_send_context", { p_draft_id: draftId }, sendContextSchema.nullable());

export const finishDraft = (
  db: Db,
  p: { draftId: string; status: "sent" | "failed"; providerMessageId: string | null; error: string | null },
) =>
  call(
    db,
    "reply_draft_finish",
    {
      p_draft_id: p.draftId,
      p_status: p.status,
      p_provider_message_id: p.providerMessageId,
      p_error: p.error,
    },
    z.object({ changed: z.boolean(), draft: replyDraftSchema.nullable() }),
  );

export const sentReplySchema = z.object({
  id: z.string(),
  status: z.enum(["sending", "sent", "failed"]),
  origin: z.enum(["whatsapp", "auto"]),
  templateTitle: z.string().nullable(),
  toAddress: z.string(),
  recipientName: z.string().nullable(),
  sentAt: nullableIsoDate,
  error: z.string().nullable(),
  createdAt: isoDate,
});

/** The email page's replies (never their text). */
export const listMessageReplies = (db: Db, organizationId: string, messageId: string) =>
  call(
    db,
    "message_replies",
    { p_organization_id: organizationId, p_message_id: messageId },
    z.array(sentReplySchema),
  );

/** The opted-in WhatsApp recipients an alert about this email has reached (told when it is answered). */
export const listAlertedRecipients = (db: Db, messageId: string) =>
  call(db, "message_alerted_recipients", { p_message_id: messageId }, z.array(recipientSchema));
