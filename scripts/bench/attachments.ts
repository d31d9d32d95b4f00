import PDFDocument from "pdfkit";
import { startExtractor } from "@/lib/attachments/extractor";
import { attachmentLimits } from "@/lib/attachments/limits";
import { fixture } from "@/lib/attachments/test-fixtures";

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** An uncompressed, text-only PDF of about `pages` invoice pages (the text-layer case). */
function textPdf(pages: number): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: "A4", compress: false, info: { CreationDate: new Date(0) } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((resolve) =>
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks)))),
  );
  for (let p = 0; p < pages; p++) {
    if (p > 0) doc.addPage();
    doc.fontSize(9);
    for (let line = 0; line < 60; line++) {
      doc.text(`Ligne ${p * 60 + line} — Ciment CPJ 45, 200 sacs, 1 000 000 FCFA, échéance 15 décembre 2026`);
    }
  }
  doc.end();
  return done;
}

/**
 * Attachment reading, measured in the extraction worker the jobs use: text-layer PDF ms per MB,
 * OCR ms per scanned page (warm engine), the worker's cold start, and the process's peak RSS once
 * both ran (the worker and tesseract's threads share the process's memory).
 */
export async function measureAttachments(): Promise<Record<string, number>> {
  const limits = attachmentLimits({ textPages: 500, maxTextChars: 5_000_000 });
  const extractor = startExtractor(limits);
  try {
    const small = fixture("facture-FA-2291.pdf");
    let t = performance.now();
    await extractor.read(small, "pdf", 120_000);
    const cold = performance.now() - t;

    const big = await textPdf(120);
    t = performance.now();
    const text = await extractor.read(big, "pdf", 120_000);
    const textMs = performance.now() - t;
    if (!text.ok) throw new Error(`bench: text PDF unreadable (${text.reason})`);

    const scan = fixture("courrier-scan.pdf");
    await extractor.read(scan, "pdf", 120_000); // starts the OCR engine
    const runs = 3;
    t = performance.now();
    for (let i = 0; i < runs; i++) {
      const r = await extractor.read(scan, "pdf", 120_000);
      if (!r.ok || r.method !== "ocr") throw new Error("bench: the scan was not read by OCR");
    }
    const ocrMs = (performance.now() - t) / runs;
    return {
      attachment_worker_cold_start_ms: round(cold, 0),
      attachment_text_pdf_mb: round(big.byteLength / 1024 / 1024, 2),
      attachment_text_pdf_ms_per_mb: round(textMs / (big.byteLength / 1024 / 1024), 0),
      attachment_ocr_ms_per_page: round(ocrMs, 0),
      attachment_peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 0),
    };
  } finally {
    await extractor.close();
  }
}
