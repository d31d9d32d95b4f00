// The MIME worker thread: turns what a provider returned into a NormalizedMessage for the main
// thread (lib/mail/mime-off-thread.ts), which can terminate it at any moment. postal-mime and the
// HTML-to-text conversion of raw messages, Gmail payloads and Graph bodies run here, so a 20 MB
// attachment, an encoded-word bomb or 2 MB of HTML costs this thread's time, never the event loop
// that answers webhooks and health checks.
import { parentPort } from "node:worker_threads";
import { gmailMessageToNormalized } from "@/lib/mail/gmail/transform";
import { parseRawMessage } from "@/lib/mail/mime";
import type { OffThreadTask } from "@/lib/mail/mime-off-thread";
import { graphMessageToNormalized } from "@/lib/mail/outlook/transform";

function run(task: OffThreadTask) {
  if (task.kind === "raw") return parseRawMessage(task.raw, task.options);
  if (task.kind === "gmail") return gmailMessageToNormalized(task.message, task.context);
  return graphMessageToNormalized(task.raw, task.params);
}

parentPort?.on("message", async ({ id, task }: { id: number; task: OffThreadTask }) => {
  try {
    parentPort?.postMessage({ id, message: await run(task) });
  } catch (error) {
    parentPort?.postMessage({ id, error: (error as Error).message });
  }
});
