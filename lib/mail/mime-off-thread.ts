import { Worker } from "node:worker_threads";
import { cleanNormalizedMessage } from "@/lib/mail/clean-message";
import type { GmailMessage } from "@/lib/mail/gmail/api-schemas";
import { gmailMessageToNormalized } from "@/lib/mail/gmail/transform";
import { type ParseOptions, parseRawMessage } from "@/lib/mail/mime";
import { headersOnlyMessage } from "@/lib/mail/mime-fallback";
import { graphMessageToNormalized } from "@/lib/mail/outlook/transform";
import { type NormalizedMessage, normalizedMessageSchema } from "@/lib/mail/types";

/*
 * parseRawMessage without blocking the event loop: postal-mime parses synchronously, and a large
 * message (a 20 MB attachment, 2 MB of text, 20,000 encoded words) takes it one to two seconds of
 * uninterrupted CPU. Below INLINE_BYTES a message parses in a few milliseconds, here; above, in a
 * worker thread kept for the process. A parse past its deadline (or a worker that dies) terminates
 * the worker and the message keeps what its top-level headers say, with no body. Gmail payloads
 * and Graph messages go the same way: their HTML-to-text conversion is the costly part.
 */

/** What the worker can turn into a NormalizedMessage (lib/mail/mime-worker.ts). */
export type OffThreadTask =
  | { kind: "raw"; raw: Uint8Array; options: ParseOptions }
  | { kind: "gmail"; message: GmailMessage; context: { mailboxAddress: string } }
  | { kind: "graph"; raw: unknown; params: { mailboxAddress: string } };

export const MIME_OFF_THREAD = {
  /** Smaller raw messages are parsed on the calling thread: a worker round trip would cost more. */
  inlineBytes: 16 * 1024,
  timeoutMs: 15_000,
  /** The worker's heap: a 25 MB message decoded with its attachments fits in a few hundred MB. */
  heapMb: 768,
};

let worker: Worker | null = null;
let seq = 0;

/**
 * From source (tests, tsx scripts) the TypeScript entry is loaded through tsx; in a Next.js build
 * the bundler compiles `new Worker(new URL("./mime-worker.ts", import.meta.url))` into a chunk of
 * its own (the same form as lib/attachments/extractor.ts).
 */
function spawn(): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: MIME_OFF_THREAD.heapMb } };
  let w: Worker;
  if (import.meta.url.endsWith(".ts")) {
    const entry = import.meta.url.replace(/mime-off-thread\.ts$/, "mime-worker.ts");
    const boot = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
    w = new Worker(boot, { ...options, eval: true });
  } else {
    w = new Worker(new URL("./mime-worker.ts", import.meta.url), options);
  }
  w.unref();
  return w;
}

function degraded(raw: Uint8Array, options: ParseOptions): NormalizedMessage {
  return cleanNormalizedMessage(headersOnlyMessage(raw, options), options.receivedAt ?? new Date());
}

export async function parseRawMessageOffThread(
  raw: Uint8Array,
  options: ParseOptions,
  limits: { timeoutMs?: number } = {},
): Promise<NormalizedMessage> {
  if (raw.byteLength < MIME_OFF_THREAD.inlineBytes) return parseRawMessage(raw, options);
  return offThread({ kind: "raw", raw, options }, () => degraded(raw, options), limits.timeoutMs);
}

/** Sum of the body sizes Gmail reports for a payload's parts (attachments by reference count 0). */
function gmailBodyBytes(message: GmailMessage): number {
  let total = 0;
  const stack = message.payload ? [message.payload] : [];
  for (let part = stack.pop(); part; part = stack.pop()) {
    total += part.body?.data?.length ?? 0;
    stack.push(...(part.parts ?? []));
  }
  return total;
}

/** gmailMessageToNormalized, off the event loop for a large payload; past the deadline, headers only. */
export function gmailMessageOffThread(
  message: GmailMessage,
  context: { mailboxAddress: string },
  limits: { timeoutMs?: number } = {},
): Promise<NormalizedMessage> {
  if (gmailBodyBytes(message) < MIME_OFF_THREAD.inlineBytes)
    return Promise.resolve(gmailMessageToNormalized(message, context));
  const headersOnly = () =>
    gmailMessageToNormalized(
      { ...message, payload: { mimeType: "text/plain", headers: message.payload?.headers ?? [] } },
      context,
    );
  return offThread({ kind: "gmail", message, context }, headersOnly, limits.timeoutMs);
}

/** graphMessageToNormalized, off the event loop for a large body; past the deadline, no body. */
export function graphMessageOffThread(
  raw: unknown,
  params: { mailboxAddress: string },
  limits: { timeoutMs?: number } = {},
): Promise<NormalizedMessage> {
  const content = (raw as { body?: { content?: unknown } } | null)?.body?.content;
  if (typeof content !== "string" || content.length < MIME_OFF_THREAD.inlineBytes)
    return Promise.resolve(graphMessageToNormalized(raw, params));
  const bodiless = () =>
    graphMessageToNormalized({ ...(raw as object), body: { contentType: "text", content: "" } }, params);
  return offThread({ kind: "graph", raw, params }, bodiless, limits.timeoutMs);
}

function offThread(
  task: OffThreadTask,
  fallback: () => NormalizedMessage,
  timeoutMs = MIME_OFF_THREAD.timeoutMs,
): Promise<NormalizedMessage> {
  worker ??= spawn();
  const w = worker;
  const id = ++seq;
  return new Promise<NormalizedMessage>((resolve, reject) => {
    let settled = false;
    const finish = (make: () => NormalizedMessage, kill: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      w.off("message", onMessage);
      w.off("error", onFailure);
      w.off("exit", onFailure);
      if (kill && worker === w) {
        worker = null;
        void w.terminate();
      }
      try {
        resolve(make());
      } catch (error) {
        reject(error);
      }
    };
    const onMessage = (reply: { id: number; message?: unknown; error?: string }) => {
      if (reply.id !== id) return;
      const parsed = normalizedMessageSchema.safeParse(reply.message);
      finish(() => (parsed.success ? parsed.data : fallback()), false);
    };
    const onFailure = () => finish(fallback, true);
    const timer = setTimeout(onFailure, timeoutMs);
    w.on("message", onMessage);
    w.on("error", onFailure);
    w.on("exit", onFailure);
    // A copy: the caller keeps its buffer (structured clone; the worker owns its own).
    w.postMessage({ id, task });
  });
}
