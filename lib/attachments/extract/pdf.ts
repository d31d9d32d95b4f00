import { extractImages, getDocumentProxy } from "unpdf";
import { type RawImage, toGrayPng } from "@/lib/attachments/extract/image";
import type { OcrEngine } from "@/lib/attachments/extract/ocr-engine";
import { boundText, type ExtractOutcome, unreadable } from "@/lib/attachments/extract/outcome";
import type { AttachmentLimits } from "@/lib/attachments/limits";
import { stripInvisible } from "@/lib/mail/visible-text";

type Pdf = Awaited<ReturnType<typeof getDocumentProxy>>;

/** Fewer characters per page than this on average: a scan, read by OCR instead. */
const SCANNED_CHARS_PER_PAGE = 25;

async function open(bytes: Uint8Array): Promise<Pdf | "encrypted" | "corrupt"> {
  try {
    return await getDocumentProxy(new Uint8Array(bytes), {
      // No system fonts, no XFA forms, no warnings on stdout (they can quote the document).
      useSystemFonts: false,
      enableXfa: false,
      disableFontFace: true,
      verbosity: 0,
    });
  } catch (error) {
    return (error as { name?: string }).name === "PasswordException" ? "encrypted" : "corrupt";
  }
}

async function pageText(pdf: Pdf, pageNumber: number): Promise<string> {
  const page = await pdf.getPage(pageNumber);
  const content = await page.getTextContent();
  let text = "";
  for (const item of content.items) {
    if ("str" in item) text += item.str + (item.hasEOL ? "\n" : "");
  }
  page.cleanup();
  return text;
}

/** The largest bitmap painted on a page: the scan itself. */
async function pageScan(pdf: Pdf, pageNumber: number): Promise<RawImage | null> {
  const images = await extractImages(pdf, pageNumber);
  return images.reduce<RawImage | null>(
    (best, image) => (best === null || image.width * image.height > best.width * best.height ? image : best),
    null,
  );
}

/**
 * The text layer of the first `textPages` pages; when there is next to none, OCR of the scans of
 * the first `ocrPages` pages. Encrypted (a password is needed to open it), corrupt or truncated
 * files, and files with more than `maxPdfPages` pages, are unreadable.
 */
export async function readPdf(
  bytes: Uint8Array,
  limits: AttachmentLimits,
  ocr: () => Promise<OcrEngine>,
): Promise<ExtractOutcome> {
  const pdf = await open(bytes);
  if (pdf === "encrypted" || pdf === "corrupt") return unreadable("pdf", pdf);
  try {
    if (pdf.numPages > limits.maxPdfPages) return unreadable("pdf", "too_many_pages");
    const pages = Math.min(pdf.numPages, limits.textPages);
    let layer = "";
    for (let n = 1; n <= pages; n++) layer += `${await pageText(pdf, n)}\n\n`;
    const text = stripInvisible(layer);
    if (text.replace(/\s/g, "").length >= SCANNED_CHARS_PER_PAGE * pages) {
      const bounded = boundText(text, limits.maxTextChars);
      const truncated = bounded.truncated || pdf.numPages > pages;
      return { ok: true, format: "pdf", method: "text", text: bounded.text, pages, truncated };
    }
    const scanned = Math.min(pdf.numPages, limits.ocrPages);
    let recognised = "";
    for (let n = 1; n <= scanned; n++) {
      const scan = await pageScan(pdf, n);
      if (scan) recognised += `${await (await ocr()).recognize(toGrayPng(scan, limits.maxOcrPixels))}\n\n`;
    }
    const bounded = boundText(`${text}\n${recognised}`, limits.maxTextChars);
    if (bounded.text.length < 3) return unreadable("pdf", "no_text");
    const truncated = bounded.truncated || pdf.numPages > scanned;
    return { ok: true, format: "pdf", method: "ocr", text: bounded.text, pages: scanned, truncated };
  } catch {
    // A page that fails to parse half-way: the file is damaged.
    return unreadable("pdf", "corrupt");
  } finally {
    await pdf.loadingTask.destroy();
  }
}
