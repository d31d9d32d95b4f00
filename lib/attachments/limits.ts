import { z } from "zod";

const MB = 1024 * 1024;

/**
 * Every limit on reading attachments, in one place. Defaults fit a Vercel function with 2 GB of
 * memory and the job's time: three files, 10 MB each, 20 s per email including OCR.
 */
export const attachmentLimitsSchema = z.object({
  /** Attachments read per email, the largest relevant first. */
  maxPerEmail: z.number().int().min(0).default(3),
  /** Larger files are listed as skipped (bytes, as the provider reports them). */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(10 * MB),
  /** Wall-clock budget for fetching and reading all of an email's attachments. */
  emailBudgetMs: z.number().int().positive().default(20_000),
  /** A PDF with more pages is unreadable (a hostile or irrelevant file, not a letter). */
  maxPdfPages: z.number().int().positive().default(500),
  /** Pages whose text layer is read. */
  textPages: z.number().int().positive().default(30),
  /** Pages (or images) recognised by OCR per attachment. */
  ocrPages: z.number().int().min(0).default(3),
  /** Largest image handed to OCR, in pixels (an A4 scan at 300 dpi is 8.7 M); larger ones are scaled down. */
  maxOcrPixels: z.number().int().positive().default(9_000_000),
  /** An image declaring more pixels than this is refused before decoding (decompression bomb). */
  maxImagePixels: z.number().int().positive().default(60_000_000),
  /** Total uncompressed size a DOCX/XLSX may declare, and the largest ratio to its compressed size. */
  maxUnzippedBytes: z
    .number()
    .int()
    .positive()
    .default(100 * MB),
  maxZipRatio: z.number().positive().default(100),
  /** Spreadsheet rows read (all sheets together). */
  maxSheetRows: z.number().int().positive().default(2_000),
  /** Extracted text kept per attachment (characters), before the analysis' own excerpt. */
  maxTextChars: z.number().int().positive().default(30_000),
  /** Old-generation heap of the extraction worker: a file that needs more is unreadable, not fatal. */
  workerHeapMb: z.number().int().positive().default(512),
  /** Images below this size are logos and icons, not documents. */
  minImageBytes: z
    .number()
    .int()
    .min(0)
    .default(20 * 1024),
});
export type AttachmentLimits = z.infer<typeof attachmentLimitsSchema>;

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = attachmentLimitsSchema.parse({});

export function attachmentLimits(overrides: Partial<AttachmentLimits> = {}): AttachmentLimits {
  return attachmentLimitsSchema.parse({ ...DEFAULT_ATTACHMENT_LIMITS, ...overrides });
}
