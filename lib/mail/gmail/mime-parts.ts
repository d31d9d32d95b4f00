import type { GmailMessagePart } from "@/lib/mail/gmail/api-schemas";
import type { AttachmentMeta } from "@/lib/mail/types";

export type PartBodies = {
  /** Every inline text/plain part, in order, decoded. */
  texts: string[];
  /** Every inline text/html part, in order, decoded. */
  htmls: string[];
  attachments: AttachmentMeta[];
};

/** A part's headers by lower-cased name (first occurrence wins). */
export function partHeaders(part: GmailMessagePart): Map<string, string> {
  const map = new Map<string, string>();
  for (const h of part.headers ?? []) {
    const name = h.name.toLowerCase();
    if (!map.has(name)) map.set(name, h.value);
  }
  return map;
}

function charsetOf(contentType: string | undefined): string {
  return /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "")?.[1] ?? "utf-8";
}

/** windows-1252 at 0x80–0x9F (€, ‘ ’ “ ” – — œ …); the five unassigned bytes map to themselves. */
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

/**
 * Gmail undoes the transfer encoding (quoted-printable, base64) and hands the part's bytes as
 * base64url, still in the part's own charset; TextDecoder knows the WHATWG labels (ISO-8859-1 is
 * decoded as windows-1252, as browsers and mail clients do). Unknown labels fall back to UTF-8.
 */
function decodeBody(data: string, charset: string): string {
  const bytes = Buffer.from(data, "base64");
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  let text = decoder.decode(bytes);
  // Node 20's windows-1252 decoder (also used for the ISO-8859-1 and US-ASCII labels) leaves
  // 0x80–0x9F as C1 controls; mail clients show the windows-1252 characters, so do we.
  if (decoder.encoding === "windows-1252") {
    text = text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
  }
  return text.replace(/\r\n?/g, "\n");
}

function isAttachment(part: GmailMessagePart, headers: Map<string, string>): boolean {
  if (part.filename) return true;
  if (/^\s*attachment/i.test(headers.get("content-disposition") ?? "")) return true;
  if (part.mimeType.toLowerCase() === "message/rfc822") return true;
  return Boolean(part.body?.attachmentId) && !part.mimeType.toLowerCase().startsWith("text/");
}

/**
 * Gmail gives an `attachmentId` for content it keeps apart and inlines small bodies in `data`;
 * the latter is fetched again through its part id (see GmailProvider.fetchAttachment).
 */
function attachmentMeta(part: GmailMessagePart, headers: Map<string, string>, type: string): AttachmentMeta {
  const id = part.body?.attachmentId ?? (part.partId ? `part:${part.partId}` : null);
  const contentId = headers.get("content-id")?.trim().replace(/^<|>$/g, "");
  return {
    filename: part.filename || null,
    mimeType: type,
    size: part.body?.size ?? 0,
    providerAttachmentId: id,
    inline: /^\s*inline/i.test(headers.get("content-disposition") ?? ""),
    contentId: contentId || null,
    type: "file",
  };
}

/** Walks the MIME tree Gmail returns with format=full; attachments are described, never fetched. */
export function collectBodies(root: GmailMessagePart): PartBodies {
  const out: PartBodies = { texts: [], htmls: [], attachments: [] };
  const visit = (part: GmailMessagePart) => {
    const headers = partHeaders(part);
    const type = part.mimeType.toLowerCase();
    if (type.startsWith("multipart/")) {
      for (const child of part.parts ?? []) visit(child);
      return;
    }
    if (isAttachment(part, headers)) {
      out.attachments.push(attachmentMeta(part, headers, type));
      return;
    }
    const data = part.body?.data;
    if (!data) return;
    if (type === "text/plain") out.texts.push(decodeBody(data, charsetOf(headers.get("content-type"))));
    else if (type === "text/html") out.htmls.push(decodeBody(data, charsetOf(headers.get("content-type"))));
  };
  visit(root);
  return out;
}
