import type { AttachmentFormat, UnreadableReason } from "@/lib/attachments/schema";

/** What reading one file gave, inside the extraction worker. */
export type ExtractOutcome =
  | {
      ok: true;
      format: AttachmentFormat;
      method: "text" | "ocr";
      text: string;
      pages: number;
      truncated: boolean;
    }
  | { ok: false; format: AttachmentFormat | null; reason: UnreadableReason };

export const unreadable = (format: AttachmentFormat | null, reason: UnreadableReason): ExtractOutcome => ({
  ok: false,
  format,
  reason,
});

/** Collapses runs of blank space and cuts at `max` characters (reporting whether it cut). */
export function boundText(text: string, max: number): { text: string; truncated: boolean } {
  const clean = text
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t\u00a0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return clean.length > max
    ? { text: clean.slice(0, max), truncated: true }
    : { text: clean, truncated: false };
}
