import type { AttachmentKind, AttachmentReading } from "@/lib/attachments/schema";

/** What of an attachment may go into a model prompt: labelled, bounded, cleaned. Still untrusted. */
export type AttachmentExcerpt = { filename: string; kind: AttachmentKind; excerpt: string };

const TAG_CHARACTERS = /[\u{E0000}-\u{E007F}]/gu;

/**
 * The start of each read attachment's text, at most `perAttachment` characters each and `total`
 * in all (the first attachments, the largest, get their share first). The caller delimits and
 * escapes it exactly like the body: it is the sender's content, not instructions.
 */
export function attachmentExcerpts(
  readings: AttachmentReading[],
  budget: { perAttachment: number; total: number } = { perAttachment: 1_500, total: 3_000 },
): AttachmentExcerpt[] {
  let left = budget.total;
  const out: AttachmentExcerpt[] = [];
  for (const { report, text } of readings) {
    if (report.status !== "read" || text === null || left <= 0) continue;
    const clean = text.replace(TAG_CHARACTERS, "").replace(/\s+/g, " ").trim();
    const take = Math.min(budget.perAttachment, left);
    const excerpt = clean.length > take ? `${clean.slice(0, take - 1)}…` : clean;
    left -= excerpt.length;
    out.push({ filename: report.filename ?? report.mimeType, kind: report.findings.kind, excerpt });
  }
  return out;
}
