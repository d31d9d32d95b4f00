// The MIME worker thread: parses raw messages for the main thread (lib/mail/mime-off-thread.ts),
// which can terminate it at any moment. postal-mime and the HTML-to-text conversion run here, so
// a 20 MB attachment or an encoded-word bomb costs this thread's time, never the event loop that
// answers webhooks and health checks.
import { parentPort } from "node:worker_threads";
import { type ParseOptions, parseRawMessage } from "@/lib/mail/mime";

type Request = { id: number; raw: Uint8Array; options: ParseOptions };

parentPort?.on("message", async ({ id, raw, options }: Request) => {
  try {
    parentPort?.postMessage({ id, message: await parseRawMessage(raw, options) });
  } catch (error) {
    parentPort?.postMessage({ id, error: (error as Error).message });
  }
});
