import { z } from "zod";
import { amountSchema, isoWithOffsetSchema } from "@/lib/analysis/schema";

/** What a document is, as a reader would file it. */
export const attachmentKindSchema = z.enum([
  "invoice",
  "contract",
  "purchase_order",
  "statement",
  "notice",
  "other",
]);
export type AttachmentKind = z.infer<typeof attachmentKindSchema>;

export const attachmentFormatSchema = z.enum(["pdf", "docx", "xlsx", "csv", "text", "html", "image"]);
export type AttachmentFormat = z.infer<typeof attachmentFormatSchema>;

/** Why an attachment was not read at all (decided before or instead of reading it). */
export const skipReasonSchema = z.enum([
  "not_relevant",
  "inline_image",
  "small_image",
  "too_large",
  "over_count",
  "not_a_file",
  "no_id",
  "gone",
  "time_budget",
  "fetch_failed",
  /** The pre-filter decided the email (mass mail, auto-reply, muted sender…): nothing was fetched. */
  "prefiltered",
]);
export type SkipReason = z.infer<typeof skipReasonSchema>;

/** Why an attachment that was fetched could not be read. */
export const unreadableReasonSchema = z.enum([
  "encrypted",
  "corrupt",
  "zip_bomb",
  "too_many_pages",
  "image_too_large",
  "legacy_office",
  "unsupported",
  "no_text",
  "timeout",
  "out_of_memory",
]);
export type UnreadableReason = z.infer<typeof unreadableReasonSchema>;

/** What was found in one attachment. No text: this is what may be shown, sent or stored. */
export const attachmentFindingsSchema = z.object({
  kind: attachmentKindSchema,
  /** Invoice or contract number as printed ("FA-2291"), when there is one. */
  reference: z.string().max(40).nullable(),
  summary: z.object({ fr: z.string().max(200), en: z.string().max(200) }),
  amounts: z.array(amountSchema).max(10),
  /** Due date or deadline tied to an action, in the recipient's zone. */
  deadline: isoWithOffsetSchema.nullable(),
  /** Calendar dates the document mentions (YYYY-MM-DD), in order, at most 5. */
  dates: z.array(z.iso.date()).max(5),
  needsSignature: z.boolean(),
  bankDetailChange: z.boolean(),
  /** Sentences addressed to an AI ("ignore previous instructions"), removed before reading: a count, never the text. */
  injection: z.number().int().nonnegative(),
});
export type AttachmentFindings = z.infer<typeof attachmentFindingsSchema>;

const base = {
  filename: z.string().nullable(),
  mimeType: z.string(),
  size: z.number().int().nonnegative(),
};

/** The outcome for one attachment of an email, without its content. */
export const attachmentReportSchema = z.discriminatedUnion("status", [
  z.object({
    ...base,
    status: z.literal("read"),
    format: attachmentFormatSchema,
    method: z.enum(["text", "ocr"]),
    /** Pages (PDF) or images read; for OCR, the pages recognised. */
    pages: z.number().int().nonnegative(),
    /** True when a page or character limit cut the document. */
    truncated: z.boolean(),
    findings: attachmentFindingsSchema,
  }),
  z.object({ ...base, status: z.literal("skipped"), reason: skipReasonSchema }),
  z.object({
    ...base,
    status: z.literal("unreadable"),
    format: attachmentFormatSchema.nullable(),
    reason: unreadableReasonSchema,
  }),
]);
export type AttachmentReport = z.infer<typeof attachmentReportSchema>;

/**
 * A report with the extracted text, for the analysis of the email in the same job. The text is
 * untrusted content, lives in memory only and is never stored, logged or sent anywhere whole.
 */
export type AttachmentReading = { report: AttachmentReport; text: string | null };
