import { z } from "zod";

export const providerKindSchema = z.enum(["gmail", "outlook", "sandbox"]);
export type ProviderKind = z.infer<typeof providerKindSchema>;

export const emailAddressSchema = z.object({
  name: z.string().nullable(),
  address: z.string(),
});
export type EmailAddress = z.infer<typeof emailAddressSchema>;

export const attachmentMetaSchema = z.object({
  filename: z.string().nullable(),
  mimeType: z.string(),
  size: z.number().int().nonnegative(),
  /**
   * What `MailProvider.fetchAttachment` needs to get the bytes: Gmail's `attachmentId` (or
   * `part:<partId>` when Gmail inlined the data), the Graph attachment id, the sandbox part index.
   * Null when the provider gave none (the attachment cannot be fetched).
   */
  providerAttachmentId: z.string().nullable(),
  /** Shown inside the body (Content-Disposition: inline, Graph isInline): logos, pasted images. */
  inline: z.boolean(),
  /** Content-ID without angle brackets, when the part has one. */
  contentId: z.string().nullable(),
  /** Graph item (an attached email or event) and reference (a cloud link) attachments are not files. */
  type: z.enum(["file", "item", "reference"]),
});
export type AttachmentMeta = z.infer<typeof attachmentMetaSchema>;

/**
 * Provider categories, normalised: Gmail CATEGORY_* labels and Outlook's inferenceClassification
 * ("other" -> null: Outlook's split is not a promotions signal on its own).
 */
export const providerCategorySchema = z.enum(["primary", "promotions", "social", "updates", "forums"]);
export type ProviderCategory = z.infer<typeof providerCategorySchema>;

/**
 * One email as every provider hands it to the pipeline. It lives only in memory: the body (`text`,
 * `html`) is never written to the database or to logs.
 */
export const normalizedMessageSchema = z.object({
  provider: providerKindSchema,
  providerMessageId: z.string().min(1),
  threadId: z.string().nullable(),
  /** RFC 822 Message-ID, without angle brackets. */
  internetMessageId: z.string().nullable(),
  from: emailAddressSchema,
  to: z.array(emailAddressSchema),
  cc: z.array(emailAddressSchema),
  replyTo: z.array(emailAddressSchema),
  subject: z.string(),
  /** ISO 8601 instant the email was sent (Date header) or received when the header is missing. */
  date: z.string(),
  /**
   * Headers that matter to triage, lower-cased names: list-unsubscribe, list-id, precedence,
   * auto-submitted, x-auto-response-suppress, reply-to, return-path, content-language, …
   */
  headers: z.record(z.string(), z.string()),
  /** Provider labels/categories as the provider names them (Gmail label ids, Outlook categories). */
  labels: z.array(z.string()),
  category: providerCategorySchema.nullable(),
  /** Plain text body: text/plain part, or converted from HTML with hidden content removed. */
  text: z.string(),
  /** Raw HTML part when there is one (kept in memory only, for hidden-text checks). */
  html: z.string().nullable(),
  attachments: z.array(attachmentMetaSchema),
  /** A link that opens the email in the provider's web client, when known. */
  webLink: z.string().nullable(),
  /** True when the provider marks it as sent by the mailbox owner (never alerted). */
  fromSelf: z.boolean(),
});
export type NormalizedMessage = z.infer<typeof normalizedMessageSchema>;
