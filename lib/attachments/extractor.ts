import { Worker } from "node:worker_threads";
import { type ExtractOutcome, unreadable } from "@/lib/attachments/extract/outcome";
import type { AttachmentLimits } from "@/lib/attachments/limits";
import type { AttachmentFormat } from "@/lib/attachments/schema";
import { type ExtractRequest, extractResponseSchema } from "@/lib/attachments/worker-protocol";

/** Reads attachments in a worker thread; `close` ends it. One per email being analysed. */
export type Extractor = {
  read(bytes: Uint8Array, format: AttachmentFormat, timeoutMs: number): Promise<ExtractOutcome>;
  close(): Promise<void>;
};

/**
 * From source (tests, tsx scripts) the TypeScript entry is loaded through tsx; in a Next.js build the
 * bundler compiles `new Worker(new URL("./extract-worker.ts", import.meta.url))` into a chunk of its
 * own (Turbopack and webpack both recognise the form).
 */
function spawn(limits: AttachmentLimits): Worker {
  const options = {
    resourceLimits: { maxOldGenerationSizeMb: limits.workerHeapMb, maxYoungGenerationSizeMb: 64 },
    // The worker's console (PDF.js or tesseract chatter that may quote a document) never reaches our logs.
    stdout: true,
    stderr: true,
  };
  let worker: Worker;
  if (import.meta.url.endsWith(".ts")) {
    const entry = import.meta.url.replace(/extractor\.ts$/, "extract-worker.ts");
    const boot = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
    worker = new Worker(boot, { ...options, eval: true });
  } else {
    worker = new Worker(new URL("./extract-worker.ts", import.meta.url), options);
  }
  worker.stdout.resume();
  worker.stderr.resume();
  worker.unref();
  return worker;
}

/**
 * The main-thread side of the extraction worker. Each read has a hard deadline: past it the worker
 * is terminated (whatever it was doing, OCR included) and the next read starts a fresh one. A
 * worker that dies (heap limit reached, crash) costs that one attachment, reported unreadable.
 */
export function startExtractor(limits: AttachmentLimits): Extractor {
  let worker: Worker | null = null;
  let seq = 0;

  const stop = async () => {
    const w = worker;
    worker = null;
    if (w) await w.terminate();
  };

  async function read(
    bytes: Uint8Array,
    format: AttachmentFormat,
    timeoutMs: number,
  ): Promise<ExtractOutcome> {
    if (timeoutMs <= 0) return unreadable(format, "timeout");
    worker ??= spawn(limits);
    const w = worker;
    const id = ++seq;
    // A copy the worker owns: transferring it leaves the caller's buffer untouched.
    const own = new Uint8Array(bytes);
    return new Promise<ExtractOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: ExtractOutcome, kill: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        w.off("message", onMessage);
        w.off("error", onError);
        w.off("exit", onExit);
        if (kill && worker === w) void stop();
        resolve(outcome);
      };
      const onMessage = (message: unknown) => {
        const parsed = extractResponseSchema.safeParse(message);
        if (parsed.success && parsed.data.id === id) finish(parsed.data.outcome, false);
      };
      const onError = (error: Error & { code?: string }) =>
        finish(
          unreadable(format, error.code === "ERR_WORKER_OUT_OF_MEMORY" ? "out_of_memory" : "corrupt"),
          true,
        );
      const onExit = () => finish(unreadable(format, "corrupt"), true);
      const timer = setTimeout(() => finish(unreadable(format, "timeout"), true), timeoutMs);
      w.on("message", onMessage);
      w.on("error", onError);
      w.on("exit", onExit);
      w.postMessage({ id, bytes: own, format, limits } satisfies ExtractRequest, [own.buffer]);
    });
  }

  return { read, close: stop };
}
