// The MIME worker thread: parses raw messages, Gmail payloads and Graph messages for the main
// thread (lib/mail/mime-off-thread.ts), which can terminate it at any moment. postal-mime and the
// HTML-to-text conversion run here, so a 20 MB attachment, an encoded-word bomb or 2 MB of HTML
// costs this thread's time, never the event loop that answers webhooks and health checks.
import { parentPort } from "node:worker_threads";
import type { GmailMessage } from "@/lib/mail/gmail/api-schemas";
import { gmailMessageToNormalized } from "@/lib/mail/gmail/transform";
import { type ParseOptions, parseRawMessage } from "@/lib/mail/mime";
import { graphMessageToNormalized } from "@/lib/mail/outlook/transform";
import { attachmentFromRaw } from "@/lib/mail/raw-attachment";
import type { AttachmentMeta } from "@/lib/mail/types";

/**
 * A message to parse, one attachment to hand over from it (the sandbox's fetchAttachment), or a
 * provider's message to transform (Gmail payload, Graph message).
 */
type Request =
  | { id: number; raw: Uint8Array; options: ParseOptions; attachment?: undefined }
  | { id: number; raw: Uint8Array; attachment: AttachmentMeta }
  | { id: number; gmail: GmailMessage; context: { mailboxAddress: string } }
  | { id: number; graph: unknown; context: { mailboxAddress: string } };

parentPort?.on("message", async (request: Request) => {
  const { id } = request;
  try {
    if ("gmail" in request) {
      parentPort?.postMessage({ id, message: gmailMessageToNormalized(request.gmail, request.context) });
      return;
    }
    if ("graph" in request) {
      parentPort?.postMessage({ id, message: graphMessageToNormalized(request.graph, request.context) });
      return;
    }
    const { raw } = request;
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
