import type { OcrEngine } from "@/lib/attachments/extract/ocr-engine";
import { type ExtractOutcome, unreadable } from "@/lib/attachments/extract/outcome";
import { readText } from "@/lib/attachments/extract/text";
import { sniffFormat } from "@/lib/attachments/format";
import type { AttachmentLimits } from "@/lib/attachments/limits";
import type { AttachmentFormat } from "@/lib/attachments/schema";

/** "EncryptedPackage" in UTF-16LE: the stream a password-protected DOCX/XLSX keeps its content in. */
const ENCRYPTED_PACKAGE = Buffer.from("EncryptedPackage", "utf16le");

/**
 * Reads one attachment in the extraction worker. The bytes decide the reader (a PDF named .docx is
 * read as a PDF); what they are not is refused. Never throws for a bad file. Each reader is loaded
 * on first use: a worker that only ever sees DOCX files never parses PDF.js.
 */
export async function extractAttachment(
  bytes: Uint8Array,
  declared: AttachmentFormat,
  limits: AttachmentLimits,
  ocr: () => Promise<OcrEngine>,
): Promise<ExtractOutcome> {
  const sniffed = sniffFormat(bytes);
  if (sniffed === "pdf") return (await import("@/lib/attachments/extract/pdf")).readPdf(bytes, limits, ocr);
  if (sniffed === "zip")
    return (await import("@/lib/attachments/extract/office")).readOfficeZip(bytes, limits);
  if (sniffed === "image")
    return (await import("@/lib/attachments/extract/image")).readImage(bytes, limits, ocr);
  if (sniffed === "ole") {
    // Office encrypts DOCX/XLSX into an OLE container; otherwise it is a .doc/.xls from before 2007.
    return unreadable(
      declared,
      Buffer.from(bytes).includes(ENCRYPTED_PACKAGE) ? "encrypted" : "legacy_office",
    );
  }
  if (declared === "text" || declared === "csv" || declared === "html")
    return readText(bytes, declared, limits);
  // A document whose bytes are not what it says it is: damaged, truncated or disguised.
  return unreadable(declared, "corrupt");
}
