import { z } from "zod";
import { textRefSchema } from "@/lib/analysis/schema";
import { storedAttachmentsSchema } from "@/lib/attachments/stored";
import { CHANNELS } from "@/lib/channels/channel";
import { renderedListSchema } from "@/lib/channels/rendered";
import { isoDate, nullableIsoDate } from "@/lib/db/port";
import { suggestedActionEnum } from "@/lib/domain/vocabulary";
import { cleanHeaderText } from "@/lib/mail/clean-text";

export const priorityEnum = z.enum(["critical", "important", "informational", "spam"]);
export type Priority = z.infer<typeof priorityEnum>;
export const localeEnum = z.enum(["fr", "en"]);
const channelEnum = z.enum(CHANNELS);

export const organizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  locale: localeEnum,
  timezone: z.string(),
  autoLabel: z.boolean(),
  autoMarkSpamRead: z.boolean(),
  autoArchiveSpam: z.boolean(),
  /** Archive the « Promotions » (a known sender's mass-mailed promotions, informational): off by default. */
  autoArchivePromotions: z.boolean(),
  /** Designated managers: a critical alert only once escalated ("delayed"), or a copy at once. */
  escalationCopy: z.enum(["delayed", "immediate"]),
  onboardedAt: nullableIsoDate,
  createdAt: isoDate,
});
export type Organization = z.infer<typeof organizationSchema>;

export const mailboxSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  userId: z.string().nullable(),
  provider: z.enum(["gmail", "outlook", "sandbox"]),
  address: z.string(),
  status: z.enum(["active", "reconnect_required", "disconnected"]),
  cursor: z.string().nullable(),
  cursorUpdatedAt: nullableIsoDate,
  lastSyncedAt: nullableIsoDate,
  watch: z
    .object({
      id: z.string().nullable(),
      expiresAt: z.number(),
      clientState: z.string().nullable().default(null),
      cursor: z.string().nullable(),
    })
    .nullable(),
  watchExpiresAt: nullableIsoDate,
  subscriptionId: z.string().nullable(),
  clientStateHash: z.string().nullable(),
  tokenExpiresAt: nullableIsoDate,
  lastError: z.string().nullable(),
  lastErrorAt: nullableIsoDate,
  createdAt: isoDate,
});
export type Mailbox = z.infer<typeof mailboxSchema>;

export const amountSchema = z.object({ value: z.number(), currency: z.string() });

export const alertSchema = z.object({
  id: z.string(),
  messageId: z.string().nullable(),
  recipientId: z.string(),
  recipientName: z.string().optional(),
  phone: z.string().nullable().optional(),
  address: z.string().optional(),
  channel: channelEnum,
  kind: z.enum(["alert", "escalation", "reminder", "digest", "notice"]),
  status: z.enum(["pending", "held", "sending", "unknown", "sent", "delivered", "read", "failed", "skipped"]),
  delivery: z.enum(["interactive", "template", "text", "email", "outbox"]).nullable(),
  providerMessageId: z.string().nullable(),
  attempts: z.number(),
  errorCode: z.number().nullable(),
  errorMessage: z.string().nullable(),
  statusHistory: z.array(z.object({ status: z.string(), at: z.string(), code: z.number().optional() })),
  rendered: z
    .object({
      body: z.string(),
      buttons: z.array(z.object({ id: z.string(), title: z.string() })),
      list: renderedListSchema.optional(),
    })
    .nullable()
    .optional(),
  holdUntil: nullableIsoDate,
  sentAt: nullableIsoDate,
  deliveredAt: nullableIsoDate,
  readAt: nullableIsoDate,
  failedAt: nullableIsoDate,
  handledAt: nullableIsoDate,
  createdAt: isoDate,
});
export type Alert = z.infer<typeof alertSchema>;

/**
 * Text that came from an email (or was written about one), as it may be shown: one line, no
 * controls, no bidi overrides or invisible characters, whatever was stored before the boundary
 * cleaned it (lib/mail/clean-text.ts). A sender name with U+202E never reaches a page reversed.
 */
const shownText = z
  .string()
  .nullable()
  .transform((v) => (v === null ? null : cleanHeaderText(v)));

/** Analysis text in both languages, cleaned like every shown text. */
const shownLocalized = z
  .object({ fr: z.string(), en: z.string() })
  .nullable()
  .transform((v) => (v === null ? null : { fr: cleanHeaderText(v.fr), en: cleanHeaderText(v.en) }));

/**
 * A stored sentence: a catalogue key with parameters (lib/analysis/present.ts renders it), or the
 * plain text of a row analysed before sentences were keys.
 */
const storedText = z.union([z.string().transform((v) => cleanHeaderText(v)), textRefSchema]);

export const messageSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  mailboxId: z.string(),
  providerMessageId: z.string(),
  threadId: z.string().nullable(),
  internetMessageId: z.string().nullable(),
  fromAddress: shownText,
  fromName: shownText,
  subject: shownText,
  receivedAt: nullableIsoDate,
  webLink: z.string().nullable(),
  status: z.enum(["pending", "analyzed", "skipped", "failed"]),
  priority: priorityEnum.nullable(),
  category: z.string().nullable(),
  summary: shownLocalized,
  suggestedAction: suggestedActionEnum.nullable(),
  suggestedActionPhrase: shownLocalized,
  deadline: nullableIsoDate,
  amounts: z.array(amountSchema),
  fraudWarning: storedText.nullable(),
  confidence: z.number().nullable(),
  reasons: z.array(storedText),
  analyzer: z.enum(["prefilter", "gemini", "fallback"]).nullable(),
  llmModel: z.string().nullable(),
  llmInputTokens: z.number().nullable(),
  llmOutputTokens: z.number().nullable(),
  analysisMs: z.number().nullable(),
  autoActions: z.array(z.string()),
  handledAt: nullableIsoDate,
  feedbackPriority: priorityEnum.nullable(),
  createdAt: isoDate,
  analyzedAt: nullableIsoDate,
  /** What was found in each attachment, or why it was not read (lib/attachments/stored.ts). */
  attachments: storedAttachmentsSchema,
});
export type Message = z.infer<typeof messageSchema>;

export const recipientSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  name: z.string(),
  channel: channelEnum,
  /** Where the channel sends: E.164 for WhatsApp, the lower-case address for e-mail. */
  address: z.string(),
  /** The WhatsApp number (null for an e-mail recipient). */
  phone: z.string().nullable(),
  role: z.enum(["owner", "manager", "member"]),
  escalationTarget: z.boolean(),
  status: z.enum(["pending", "opted_in", "opted_out", "undeliverable"]),
  optedInAt: nullableIsoDate,
  optedOutAt: nullableIsoDate,
  lastInboundAt: nullableIsoDate,
  minPriority: priorityEnum,
  categories: z.array(z.string()).nullable(),
  quietStartMinute: z.number().nullable(),
  quietEndMinute: z.number().nullable(),
  criticalBypassesQuiet: z.boolean(),
  timezone: z.string(),
  locale: localeEnum,
  escalationDelayMinutes: z.number(),
  digestEnabled: z.boolean(),
  digestHour: z.number(),
  lastDigestOn: z.string().nullable(),
  createdAt: isoDate,
});
export type Recipient = z.infer<typeof recipientSchema>;

export const senderRuleSchema = z.object({
  id: z.string(),
  pattern: z.string(),
  /** vip / muted / blocked, or a priority the rule sets for the sender's future emails. */
  kind: z.enum(["vip", "muted", "blocked", "critical", "important", "informational", "spam"]),
  source: z.enum(["settings", "whatsapp", "feedback"]).optional(),
  createdAt: z.string().optional(),
});
export type SenderRule = z.infer<typeof senderRuleSchema>;

/** A mailbox's encrypted tokens as stored (JWE; only lib/security opens it). */
export const tokenRowSchema = z.object({
  mailboxId: z.string(),
  ciphertext: z.string().nullable(),
  version: z.number().int(),
  expiresAt: nullableIsoDate,
  status: z.string(),
});
export type TokenRow = z.infer<typeof tokenRowSchema>;
