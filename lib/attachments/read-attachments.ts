import { type DescribeContext, describeAttachment } from "@/lib/attachments/describe";
import { type Extractor, startExtractor } from "@/lib/attachments/extractor";
import { type AttachmentLimits, DEFAULT_ATTACHMENT_LIMITS } from "@/lib/attachments/limits";
import type { AttachmentReading, AttachmentReport } from "@/lib/attachments/schema";
import { type SelectedAttachment, selectAttachments, skipped } from "@/lib/attachments/select";
import type { AttachmentMeta } from "@/lib/mail/types";

/** Fetches one attachment's bytes (a provider's `fetchAttachment` bound to the mailbox and message). */
export type AttachmentSource = (meta: AttachmentMeta) => Promise<Uint8Array | null>;

export type ReadAttachmentsContext = Omit<DescribeContext, "filename"> & {
  limits?: AttachmentLimits;
  /** Clock for the time budget (tests). */
  now?: () => number;
};

type Deadline = { at: number; now: () => number };
const remaining = (d: Deadline) => d.at - d.now();

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function readOne(
  { meta, format }: SelectedAttachment,
  source: AttachmentSource,
  extractor: Extractor,
  deadline: Deadline,
  ctx: ReadAttachmentsContext,
  limits: AttachmentLimits,
): Promise<AttachmentReading> {
  const base = { filename: meta.filename, mimeType: meta.mimeType, size: meta.size };
  if (remaining(deadline) <= 0) return { report: skipped(meta, "time_budget"), text: null };
  let bytes: Uint8Array | null | "timeout";
  try {
    bytes = await withTimeout(source(meta), remaining(deadline));
  } catch {
    return { report: skipped(meta, "fetch_failed"), text: null };
  }
  if (bytes === "timeout") return { report: skipped(meta, "time_budget"), text: null };
  if (bytes === null) return { report: skipped(meta, "gone"), text: null };
  // The metadata's size is the sender's word; the bytes are the truth.
  if (bytes.byteLength > limits.maxBytes) return { report: skipped(meta, "too_large"), text: null };
  const outcome = await extractor.read(bytes, format, remaining(deadline));
  if (!outcome.ok) {
    return {
      report: { ...base, status: "unreadable", format: outcome.format, reason: outcome.reason },
      text: null,
    };
  }
  const findings = describeAttachment(outcome.text, { ...ctx, filename: meta.filename });
  const report: AttachmentReport = {
    ...base,
    status: "read",
    format: outcome.format,
    method: outcome.method,
    pages: outcome.pages,
    truncated: outcome.truncated,
    findings,
  };
  return { report, text: outcome.text };
}

/**
 * Reads an email's attachments within the limits (lib/attachments/limits.ts): chooses the relevant
 * ones from metadata, fetches each on demand, extracts its text off the main thread and describes
 * it. Every attachment gets a report, in the email's order: read, skipped (and why) or unreadable
 * (and why). Bytes and text stay in this call's memory; only the reports are meant to be kept.
 */
export async function readAttachments(
  attachments: AttachmentMeta[],
  source: AttachmentSource,
  ctx: ReadAttachmentsContext,
): Promise<AttachmentReading[]> {
  const limits = ctx.limits ?? DEFAULT_ATTACHMENT_LIMITS;
  const now = ctx.now ?? Date.now;
  const deadline: Deadline = { at: now() + limits.emailBudgetMs, now };
  const { read, skipped: notRead } = selectAttachments(attachments, limits);
  const byMeta = new Map<AttachmentMeta, AttachmentReading>();
  for (const { meta, report } of notRead) byMeta.set(meta, { report, text: null });
  if (read.length > 0) {
    const extractor = startExtractor(limits);
    try {
      for (const selected of read) {
        byMeta.set(selected.meta, await readOne(selected, source, extractor, deadline, ctx, limits));
      }
    } finally {
      await extractor.close();
    }
  }
  return attachments.flatMap((a) => {
    const reading = byMeta.get(a);
    return reading ? [reading] : [];
  });
}
