import { boundText, type ExtractOutcome, unreadable } from "@/lib/attachments/extract/outcome";
import type { AttachmentLimits } from "@/lib/attachments/limits";
import { htmlToVisibleText, stripInvisible } from "@/lib/mail/visible-text";

/** UTF-8 when it decodes cleanly, else windows-1252 (what French office software writes). */
export function decodeText(bytes: Uint8Array): string | null {
  const sample = bytes.subarray(0, 4096);
  const nul = sample.reduce((n, b) => n + (b === 0 ? 1 : 0), 0);
  if (nul > sample.length / 100) return null; // binary, or UTF-16 we do not expect from mail
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** Plain text, CSV (first `maxSheetRows` lines) and HTML (what a reader sees, hidden parts removed). */
export function readText(
  bytes: Uint8Array,
  format: "text" | "csv" | "html",
  limits: AttachmentLimits,
): ExtractOutcome {
  const decoded = decodeText(bytes);
  if (decoded === null) return unreadable(format, "corrupt");
  let text = format === "html" ? htmlToVisibleText(decoded) : stripInvisible(decoded);
  let cut = false;
  if (format === "csv") {
    const lines = text.split(/\r?\n/);
    cut = lines.length > limits.maxSheetRows;
    text = lines
      .slice(0, limits.maxSheetRows)
      .join("\n")
      .replace(/[;,\t]/g, " | ");
  }
  const bounded = boundText(text, limits.maxTextChars);
  if (bounded.text === "") return unreadable(format, "no_text");
  return {
    ok: true,
    format,
    method: "text",
    text: bounded.text,
    pages: 1,
    truncated: cut || bounded.truncated,
  };
}
