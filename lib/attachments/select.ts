import { declaredFormat } from "@/lib/attachments/format";
import type { AttachmentLimits } from "@/lib/attachments/limits";
import type { AttachmentFormat, AttachmentReport, SkipReason } from "@/lib/attachments/schema";
import type { AttachmentMeta } from "@/lib/mail/types";

export type SelectedAttachment = { meta: AttachmentMeta; format: AttachmentFormat };

/** Inline images larger than this are kept: a scanned letter pasted into the body. */
const INLINE_DOCUMENT_BYTES = 200 * 1024;

function skipReason(meta: AttachmentMeta, format: AttachmentFormat | null, limits: AttachmentLimits) {
  if (meta.type !== "file") return "not_a_file" satisfies SkipReason;
  if (format === null) return "not_relevant";
  if (format === "image" && meta.inline && meta.size < INLINE_DOCUMENT_BYTES) return "inline_image";
  if (format === "image" && meta.size < limits.minImageBytes) return "small_image";
  if (meta.size > limits.maxBytes) return "too_large";
  if (meta.providerAttachmentId === null) return "no_id";
  return null;
}

export const skipped = (meta: AttachmentMeta, reason: SkipReason): AttachmentReport => ({
  filename: meta.filename,
  mimeType: meta.mimeType,
  size: meta.size,
  status: "skipped",
  reason,
});

/**
 * Which attachments to read, from metadata alone: documents and images (not calendar invites,
 * signatures, vCards, logos or attached emails), at most `maxPerEmail`, the largest first. Every
 * other attachment is listed with the reason it was skipped.
 */
export function selectAttachments(
  attachments: AttachmentMeta[],
  limits: AttachmentLimits,
): { read: SelectedAttachment[]; skipped: { meta: AttachmentMeta; report: AttachmentReport }[] } {
  const out: ReturnType<typeof selectAttachments> = { read: [], skipped: [] };
  const candidates: SelectedAttachment[] = [];
  for (const meta of attachments) {
    const format = declaredFormat(meta);
    const reason = skipReason(meta, format, limits);
    if (reason !== null || format === null)
      out.skipped.push({ meta, report: skipped(meta, reason ?? "not_relevant") });
    else candidates.push({ meta, format });
  }
  candidates.sort((a, b) => b.meta.size - a.meta.size);
  out.read = candidates.slice(0, limits.maxPerEmail);
  for (const { meta } of candidates.slice(limits.maxPerEmail)) {
    out.skipped.push({ meta, report: skipped(meta, "over_count") });
  }
  return out;
}

/**
 * Reports for an email whose attachments are not read at all (the pre-filter decided it): what
 * would have been read gets `reason`, the rest the reason it would have been skipped anyway.
 */
export function notRead(
  attachments: AttachmentMeta[],
  limits: AttachmentLimits,
  reason: SkipReason,
): AttachmentReport[] {
  return attachments.map((meta) => {
    const format = declaredFormat(meta);
    return skipped(meta, format === null ? "not_relevant" : (skipReason(meta, format, limits) ?? reason));
  });
}
