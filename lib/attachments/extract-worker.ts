// The extraction worker thread: reads attachments one at a time for the main thread
// (lib/attachments/extractor.ts), which can terminate it at any moment. PDF parsing, unzipping and
// OCR happen here, so a hostile file costs this thread's time and heap, never the event loop that
// answers webhooks.
import { parentPort } from "node:worker_threads";
import { extractAttachment } from "@/lib/attachments/extract/extract";
import type { OcrEngine } from "@/lib/attachments/extract/ocr-engine";
import { unreadable } from "@/lib/attachments/extract/outcome";
import { type ExtractResponse, extractRequestSchema } from "@/lib/attachments/worker-protocol";

let engine: Promise<OcrEngine> | null = null;
const ocr = () => {
  engine ??= import("@/lib/attachments/extract/ocr-engine").then((m) => m.startOcr());
  return engine;
};

parentPort?.on("message", async (message: unknown) => {
  const request = extractRequestSchema.safeParse(message);
  if (!request.success) return;
  const { id, bytes, format, limits } = request.data;
  let outcome: ExtractResponse["outcome"];
  try {
    outcome = await extractAttachment(bytes, format, limits, ocr);
  } catch {
    outcome = unreadable(format, "corrupt");
  }
  parentPort?.postMessage({ id, outcome } satisfies ExtractResponse);
});

parentPort?.on("close", () => {
  void engine?.then((e) => e.close()).catch(() => undefined);
});
