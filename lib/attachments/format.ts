import type { AttachmentFormat } from "@/lib/attachments/schema";

/*
 * The format of an attachment, first from what the sender declared (type, extension) to decide
 * whether it is worth fetching, then from its first bytes, which win: a "facture.pdf" that is a ZIP
 * is read as what it is, or refused.
 */

const BY_EXTENSION: Record<string, AttachmentFormat> = {
  pdf: "pdf",
  docx: "docx",
  docm: "docx",
  xlsx: "xlsx",
  xlsm: "xlsx",
  csv: "csv",
  txt: "text",
  htm: "html",
  html: "html",
  png: "image",
  jpg: "image",
  jpeg: "image",
};

const BY_MIME: Record<string, AttachmentFormat> = {
  "application/pdf": "pdf",
  "application/x-pdf": "pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "text/csv": "csv",
  "text/plain": "text",
  "text/html": "html",
  "image/png": "image",
  "image/jpeg": "image",
  "image/jpg": "image",
  "image/pjpeg": "image",
};

function extension(filename: string | null): string {
  return /\.([a-z0-9]{1,5})$/i.exec(filename ?? "")?.[1]?.toLowerCase() ?? "";
}

/** What the metadata says (null: nothing we read, e.g. a calendar invite or a signature). */
export function declaredFormat(meta: { filename: string | null; mimeType: string }): AttachmentFormat | null {
  const mime = meta.mimeType.toLowerCase().split(";")[0]?.trim() ?? "";
  const byName = BY_EXTENSION[extension(meta.filename)];
  // Generic types (octet-stream, a mislabelled zip) defer to the extension.
  return byName ?? BY_MIME[mime] ?? null;
}

/** What the bytes are, when their signature says so. */
export type SniffedFormat = AttachmentFormat | "zip" | "ole" | "unknown";

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) =>
  signature.every((b, i) => bytes[at + i] === b);

export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  // %PDF- may follow a little junk; readers accept it within the first kilobyte.
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  if (head.includes("%PDF-")) return "pdf";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return "zip";
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return "ole";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image";
  return "unknown";
}
