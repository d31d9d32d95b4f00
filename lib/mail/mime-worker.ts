// The MIME worker thread: parses raw messages for the main thread (lib/mail/mime-off-thread.ts),
// which can terminate it at any moment. postal-mime and the HTML-to-text conversion run here, so
// a 20 MB attachment or an encoded-word bomb costs this thread's time, never the event loop that
// answers webhooks and health checks.
import { parentPort } from "node:worker_threads";
import { type ParseOptions, parseRawMessage } from "@/lib/mail/mime";
import { attachmentFromRaw } from "@/lib/mail/raw-attachment";
import type { AttachmentMeta } from "@/lib/mail/types";

/** A message to parse, or one attachment to hand over from it (the sandbox's fetchAttachment). */
type Request =
  | { id: number; raw: Uint8Array; options: ParseOptions; attachment?: undefined }
  | { id: number; raw: Uint8Array; attachment: AttachmentMeta };

parentPort?.on("message", async (request: Request) => {
  const { id, raw } = request;
  try {
    if (request.attachment) {
      const bytes = await attachmentFromRaw(raw, request.attachment);
      parentPort?.postMessage({ id, bytes }, bytes ? [bytes.buffer as ArrayBuffer] : []);
      return;
    }
    parentPort?.postMessage({ id, message: await parseRawMessage(raw, request.options) });
  } catch (error) {
    parentPort?.postMessage({ id, error: (error as Error).message });
  }
});
