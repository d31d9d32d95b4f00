import { vi } from "vitest";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Logger } from "@/lib/log";

/*
 * What the attachment suites scan after a pipeline run: every row of every table, and every log
 * line the jobs wrote. Sentences of the generated documents (scripts/generate-attachment-samples.ts)
 * that no email body, subject or finding repeats: finding one means the document's text leaked.
 */
export const DOCUMENT_SENTENCES = [
  // facture-FA-2291.pdf
  "Zone industrielle de Yopougon",
  "Règlement par virement sur notre compte habituel",
  "Client : Sahel Négoce SA",
  // consignes.pdf
  "ignore previous instructions",
  "compte rendu de la réunion de lundi",
];

/** Every row of every table of the public schema, as text. */
export async function everyTableText(db: PGliteDb): Promise<string> {
  const { rows: tables } = await db.pg.query<{ name: string }>(
    "select tablename as name from pg_tables where schemaname = 'public' order by 1",
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const { rows } = await db.pg.query<{ t: string }>(`select row_to_json(x)::text as t from "${name}" x`);
    parts.push(...rows.map((r) => r.t));
  }
  return parts.join("\n");
}

/**
 * A logger that keeps every event and its fields as the callers passed them (before the
 * production logger's redaction: what is not here cannot be printed), for the drain's `log`.
 */
export function recordingLogger(
  lines: string[] = [],
  base: Record<string, unknown> = {},
): Logger & {
  lines: string[];
} {
  const keep =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) => {
      const all = { ...base, ...fields };
      lines.push(
        JSON.stringify({ level, event, ...all }, (_, v) =>
          v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v,
        ),
      );
    };
  return {
    lines,
    debug: keep("debug"),
    info: keep("info"),
    warn: keep("warn"),
    error: keep("error"),
    child: (fields) => recordingLogger(lines, { ...base, ...fields }),
  };
}

/** The document sentences found in `text` (none, when nothing leaked). */
export function leakedSentences(text: string): string[] {
  const folded = text.normalize("NFC");
  return DOCUMENT_SENTENCES.filter(
    (s) => folded.includes(s) || folded.includes(JSON.stringify(s).slice(1, -1)),
  );
}

/** Runs `run` with the console captured: whatever anything printed meanwhile (workers included). */
export async function printedDuring(run: () => Promise<unknown>): Promise<string[]> {
  const printed: string[] = [];
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(" "));
    }),
  );
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return printed;
}
