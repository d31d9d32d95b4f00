import { z } from "zod";
import {
  type AttachmentReport,
  attachmentFindingsSchema,
  attachmentReportSchema,
} from "@/lib/attachments/schema";

/** Longest file name kept for display (names are the sender's, cleaned at the boundary). */
const NAME_CHARS = 200;

const [readReport, skippedReport, unreadableReport] = attachmentReportSchema.options;

/**
 * What is kept of one attachment with the email's analysis, for the alert, the email page and the
 * digest: its name and what was found (kind, amounts, due date, signature, bank-detail change, a
 * count of AI-addressed sentences) or why it was not read. No text, no reference copied from the
 * document, no summary: nothing the document says beyond these figures.
 */
export const storedAttachmentSchema = z.discriminatedUnion("status", [
  readReport
    .omit({ pages: true, truncated: true })
    .extend({ findings: attachmentFindingsSchema.omit({ summary: true, reference: true }) }),
  skippedReport,
  unreadableReport,
]);
export type StoredAttachment = z.infer<typeof storedAttachmentSchema>;

/** A stored list read back: an entry a later version cannot read is dropped, never the email. */
export const storedAttachmentsSchema = z
  .array(z.unknown())
  .catch([])
  .transform((list) => list.flatMap((a) => storedAttachmentSchema.safeParse(a).data ?? []));

const cut = (s: string) => (s.length > NAME_CHARS ? `${s.slice(0, NAME_CHARS - 1)}…` : s);

/** The part of a report that may be stored: the findings' figures, never the summary or reference. */
export function toStored(report: AttachmentReport): StoredAttachment {
  const head = {
    filename: report.filename === null ? null : cut(report.filename),
    mimeType: cut(report.mimeType),
    size: report.size,
  };
  if (report.status === "skipped") return { ...head, status: "skipped", reason: report.reason };
  if (report.status === "unreadable")
    return { ...head, status: "unreadable", format: report.format, reason: report.reason };
  const { kind, amounts, deadline, dates, needsSignature, bankDetailChange, injection } = report.findings;
  return {
    ...head,
    status: "read",
    format: report.format,
    method: report.method,
    findings: { kind, amounts, deadline, dates, needsSignature, bankDetailChange, injection },
  };
}
