import { readFileSync } from "node:fs";
import path from "node:path";
import { describeAttachment } from "@/lib/attachments/describe";
import type { AttachmentSource } from "@/lib/attachments/read-attachments";
import type { AttachmentReading } from "@/lib/attachments/schema";
import type { AttachmentMeta } from "@/lib/mail/types";

/** The generated samples (scripts/generate-attachment-samples.ts), for tests and the benchmark. */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(process.cwd(), "lib/attachments/fixtures", name)));
}

export const MIME: Record<string, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  png: "image/png",
  jpg: "image/jpeg",
  csv: "text/csv",
  txt: "text/plain",
  html: "text/html",
  ics: "text/calendar",
};

/** Attachment metadata plus a source serving the bytes, the way a provider would. */
export function mailbox(files: { name: string; bytes: Uint8Array; mimeType?: string; inline?: boolean }[]): {
  attachments: AttachmentMeta[];
  source: AttachmentSource & { calls: string[] };
} {
  const byId = new Map<string, Uint8Array>();
  const attachments = files.map((f, i): AttachmentMeta => {
    byId.set(String(i), f.bytes);
    return {
      filename: f.name,
      mimeType: f.mimeType ?? MIME[f.name.split(".").pop() ?? ""] ?? "application/octet-stream",
      size: f.bytes.byteLength,
      providerAttachmentId: String(i),
      inline: f.inline ?? false,
      contentId: null,
      type: "file",
    };
  });
  const calls: string[] = [];
  const source = Object.assign(
    async (meta: AttachmentMeta) => {
      calls.push(meta.filename ?? "");
      return byId.get(meta.providerAttachmentId ?? "") ?? null;
    },
    { calls },
  );
  return { attachments, source };
}

/**
 * A read attachment with `text` as its content, described the way readAttachments describes one
 * (same extractors, same findings), without a worker: for tests of what the analysis does with it.
 */
export function readingOf(
  filename: string,
  text: string,
  email: { date: string; from: { address: string; name: string | null } },
  timeZone = "Africa/Abidjan",
): AttachmentReading {
  const findings = describeAttachment(text, {
    filename,
    reference: new Date(email.date),
    timeZone,
    sender: email.from,
  });
  const mimeType = MIME[filename.split(".").pop() ?? ""] ?? "application/octet-stream";
  return {
    report: {
      filename,
      mimeType,
      size: text.length * 8,
      status: "read",
      format: "pdf",
      method: "text",
      pages: 1,
      truncated: false,
      findings,
    },
    text,
  };
}
