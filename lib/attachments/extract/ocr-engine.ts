import { mkdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import eng from "@tesseract.js-data/eng";
import fra from "@tesseract.js-data/fra";
import { createWorker, OEM } from "tesseract.js";

/** One tesseract.js worker reading French and English, created on first use in the extraction worker. */
export type OcrEngine = { recognize(image: Uint8Array): Promise<string>; close(): Promise<void> };

const DATA = "4.0.0_best_int";

/**
 * tesseract.js reads every language from one `langPath` folder, and each language package has its
 * own: a folder of symbolic links to the two packages' files joins them. Nothing is downloaded
 * (`langPath` is local) and nothing is cached (`cacheMethod: "none"`): the data comes from
 * node_modules on every start, so OCR works with no network.
 */
function languageFolder(): string {
  const dir = path.join(tmpdir(), `fluxasync-tessdata-${DATA}`);
  mkdirSync(dir, { recursive: true });
  for (const pkg of [fra, eng]) {
    const target = path.join(path.dirname(pkg.langPath), DATA, `${pkg.code}.traineddata.gz`);
    const link = path.join(dir, `${pkg.code}.traineddata.gz`);
    let current: string | null = null;
    try {
      current = readlinkSync(link);
    } catch {
      current = null;
    }
    if (current === target) continue;
    if (current !== null) rmSync(link, { force: true });
    try {
      symlinkSync(target, link);
    } catch (error) {
      // Another extraction worker made the same link meanwhile.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return dir;
}

export async function startOcr(): Promise<OcrEngine> {
  let failure: string | null = null;
  const worker = await createWorker("fra+eng", OEM.LSTM_ONLY, {
    langPath: languageFolder(),
    cacheMethod: "none",
    gzip: true,
    // Without a handler tesseract.js rethrows a failed job in its message listener, which would
    // crash this thread instead of failing the one document.
    errorHandler: (error: unknown) => {
      failure = String(error).slice(0, 200);
    },
  });
  return {
    async recognize(image) {
      failure = null;
      const result = await worker.recognize(Buffer.from(image));
      if (failure !== null) throw new Error(`OCR failed: ${failure}`);
      return result.data.text;
    },
    close: async () => {
      await worker.terminate();
    },
  };
}
