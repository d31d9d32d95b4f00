import mammoth from "mammoth";
import readXlsxFile from "read-excel-file/node";
import { boundText, type ExtractOutcome, unreadable } from "@/lib/attachments/extract/outcome";
import { listZip } from "@/lib/attachments/extract/zip-guard";
import type { AttachmentLimits } from "@/lib/attachments/limits";
import { stripInvisible } from "@/lib/mail/visible-text";

/** Office Open XML files are ZIPs; which one it is shows in its entries, whatever its name says. */
export async function readOfficeZip(bytes: Uint8Array, limits: AttachmentLimits): Promise<ExtractOutcome> {
  const listing = listZip(bytes, limits);
  if (!listing.ok) return unreadable(null, listing.reason);
  if (listing.names.has("word/document.xml")) return readDocx(bytes, limits);
  if (listing.names.has("xl/workbook.xml")) return readXlsx(bytes, limits);
  return unreadable(null, "unsupported");
}

async function readDocx(bytes: Uint8Array, limits: AttachmentLimits): Promise<ExtractOutcome> {
  let raw: string;
  try {
    // Raw text only: mammoth's HTML conversion would follow image and link relationships.
    raw = (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value;
  } catch {
    return unreadable("docx", "corrupt");
  }
  const bounded = boundText(stripInvisible(raw), limits.maxTextChars);
  if (bounded.text === "") return unreadable("docx", "no_text");
  return {
    ok: true,
    format: "docx",
    method: "text",
    text: bounded.text,
    pages: 1,
    truncated: bounded.truncated,
  };
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).trim();
}

/** "Prix unitaire (FCFA)", "Montant EUR": the currency a column's header gives its bare numbers. */
const CURRENCY_HEADER = /\b(f\s?cfa|xof|xaf|eur|euros?|usd)\b|[€$]/i;

function currencyColumns(row: unknown[]): Map<number, string> {
  const columns = new Map<number, string>();
  row.forEach((value, i) => {
    const m = typeof value === "string" ? CURRENCY_HEADER.exec(value) : null;
    if (m) columns.set(i, m[0].toUpperCase().replace(/\s/g, ""));
  });
  return columns;
}

/** Every sheet, one line per row with cells joined by " | ", up to `maxSheetRows` rows in all. */
async function readXlsx(bytes: Uint8Array, limits: AttachmentLimits): Promise<ExtractOutcome> {
  let sheets: Awaited<ReturnType<typeof readXlsxFile>>;
  try {
    sheets = await readXlsxFile(Buffer.from(bytes));
  } catch {
    return unreadable("xlsx", "corrupt");
  }
  const lines: string[] = [];
  let cut = false;
  for (const sheet of sheets) {
    lines.push(`# ${sheet.sheet}`);
    let currencies = new Map<number, string>();
    for (const row of sheet.data) {
      if (lines.length >= limits.maxSheetRows) {
        cut = true;
        break;
      }
      // Numbers under a currency header are amounts: the text says so for the amount extractor.
      const header = currencyColumns(row);
      if (header.size > 0) currencies = header;
      const cells = row
        .map((value, i) =>
          typeof value === "number" && currencies.has(i) ? `${value} ${currencies.get(i)}` : cell(value),
        )
        .filter((c) => c !== "");
      if (cells.length > 0) lines.push(cells.join(" | "));
    }
  }
  const bounded = boundText(stripInvisible(lines.join("\n")), limits.maxTextChars);
  if (bounded.text.replace(/^# .*$/gm, "").trim() === "") return unreadable("xlsx", "no_text");
  const pages = sheets.length;
  return {
    ok: true,
    format: "xlsx",
    method: "text",
    text: bounded.text,
    pages,
    truncated: cut || bounded.truncated,
  };
}
