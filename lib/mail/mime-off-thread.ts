import { Worker } from "node:worker_threads";
import { cleanNormalizedMessage } from "@/lib/mail/clean-message";
import type { GmailMessage } from "@/lib/mail/gmail/api-schemas";
import { gmailMessageToNormalized } from "@/lib/mail/gmail/transform";
import { type ParseOptions, parseRawMessage } from "@/lib/mail/mime";
import { headersOnlyMessage } from "@/lib/mail/mime-fallback";
import { graphMessageSchema, graphMessageToNormalized } from "@/lib/mail/outlook/transform";
import { attachmentFromRaw } from "@/lib/mail/raw-attachment";
import { type AttachmentMeta, type NormalizedMessage, normalizedMessageSchema } from "@/lib/mail/types";

/*
 * parseRawMessage without blocking the event loop: postal-mime parses synchronously, and a large
 * message (a 20 MB attachment, 2 MB of text, 20,000 encoded words) takes it one to two seconds of
 * uninterrupted CPU. Below INLINE_BYTES a message parses in a few milliseconds, here; above, in a
 * worker thread kept for the process. A parse past its deadline (or a worker that dies) terminates
 * the worker and the message keeps what its top-level headers say, with no body.
 */

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

/**
 * One request to the worker (`payload` gets a fresh id), its reply read by `read`; a reply past the
 * deadline, or a worker that fails, terminates the worker and settles with `fallback()`.
 */
function ask<T>(
  payload: Record<string, unknown>,
  read: (reply: Record<string, unknown>) => T,
  fallback: () => T,
  timeoutMs: number,
): Promise<T> {
  worker ??= spawn();
  const w = worker;
  const id = ++seq;
  return new Promise<T>((resolve) => {
    let settled = false;
    const finish = (value: T, kill: boolean) => {
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
      resolve(value);
    };
    const onMessage = (reply: Record<string, unknown>) => {
      if (reply.id === id) finish(read(reply), false);
    };
    const onFailure = () => finish(fallback(), true);
    const timer = setTimeout(onFailure, timeoutMs);
    w.on("message", onMessage);
    w.on("error", onFailure);
    w.on("exit", onFailure);
    // A copy: the caller keeps its buffer (structured clone; the worker owns its own).
    w.postMessage({ ...payload, id });
  });
}

export async function parseRawMessageOffThread(
  raw: Uint8Array,
  options: ParseOptions,
  limits: { timeoutMs?: number } = {},
): Promise<NormalizedMessage> {
  if (raw.byteLength < MIME_OFF_THREAD.inlineBytes) return parseRawMessage(raw, options);
  return ask(
    { raw, options },
    (reply) => {
      const parsed = normalizedMessageSchema.safeParse(reply.message);
      return parsed.success ? parsed.data : degraded(raw, options);
    },
    () => degraded(raw, options),
    limits.timeoutMs ?? MIME_OFF_THREAD.timeoutMs,
  );
}

/**
 * attachmentFromRaw off the event loop, for the same reason: handing over one part means parsing
 * the whole message again (5,000 parts, a 20 MB neighbour). Null when the part is gone or the
 * parse passes its deadline.
 */
export async function attachmentFromRawOffThread(
  raw: Uint8Array,
  attachment: AttachmentMeta,
  limits: { timeoutMs?: number } = {},
): Promise<Uint8Array | null> {
  if (raw.byteLength < MIME_OFF_THREAD.inlineBytes) return attachmentFromRaw(raw, attachment);
  return ask(
    { raw, attachment },
    (reply) => (reply.bytes instanceof Uint8Array ? reply.bytes : null),
    () => null,
    limits.timeoutMs ?? MIME_OFF_THREAD.timeoutMs,
  );
}

/** Sum of the body sizes Gmail inlines in a payload's parts (attachments by reference count 0). */
function gmailBodyBytes(message: GmailMessage): number {
  let total = 0;
  const stack = message.payload ? [message.payload] : [];
  for (let part = stack.pop(); part; part = stack.pop()) {
    total += part.body?.data?.length ?? 0;
    stack.push(...(part.parts ?? []));
  }
  return total;
}

/** The worker's message, or `fallback()` when it could not make one. */
const messageOr = (fallback: () => NormalizedMessage) => (reply: Record<string, unknown>) => {
  const parsed = normalizedMessageSchema.safeParse(reply.message);
  return parsed.success ? parsed.data : fallback();
};

/**
 * gmailMessageToNormalized off the event loop for a large payload (its HTML-to-text conversion
 * takes a thread for a second or more at 1–2 MB of HTML); past the deadline, the headers only.
 */
export async function gmailMessageOffThread(
  message: GmailMessage,
  context: { mailboxAddress: string },
  limits: { timeoutMs?: number } = {},
): Promise<NormalizedMessage> {
  if (gmailBodyBytes(message) < MIME_OFF_THREAD.inlineBytes)
    return gmailMessageToNormalized(message, context);
  const headersOnly = () =>
    gmailMessageToNormalized(
      { ...message, payload: { mimeType: "text/plain", headers: message.payload?.headers ?? [] } },
      context,
    );
  return ask(
    { gmail: message, context },
    messageOr(headersOnly),
    headersOnly,
    limits.timeoutMs ?? MIME_OFF_THREAD.timeoutMs,
  );
}

/** graphMessageToNormalized off the event loop for a large body; past the deadline, no body. */
export async function graphMessageOffThread(
  raw: unknown,
  context: { mailboxAddress: string },
  limits: { timeoutMs?: number } = {},
): Promise<NormalizedMessage> {
  // Validated here, so an invalid message throws as it does inline and the fallback cannot.
  const message = graphMessageSchema.parse(raw);
  const content = message.body?.content;
  if (typeof content !== "string" || content.length < MIME_OFF_THREAD.inlineBytes)
    return graphMessageToNormalized(raw, context);
  const bodiless = () =>
    graphMessageToNormalized({ ...(raw as object), body: { contentType: "text", content: "" } }, context);
  return ask(
    { graph: raw, context },
    messageOr(bodiless),
    bodiless,
    limits.timeoutMs ?? MIME_OFF_THREAD.timeoutMs,
  );
}
