import { stripInvisible } from "@/lib/mail/visible-text";

/*
 * Text from an email is hostile input. At the boundary (the MIME parser, the Gmail and Outlook
 * transforms) every string becomes something the rest of the system can store and show:
 *  - NUL and the other C0/C1 control characters go (Postgres jsonb refuses \u0000, and a
 *    terminal or a log line must not receive escape sequences); tabs and line breaks stay in
 *    bodies, and become spaces in one-line fields;
 *  - a lone surrogate (half of a UTF-16 pair, from a broken encoder or on purpose) becomes U+FFFD,
 *    so the text is valid Unicode for JSON, the database and the model;
 *  - invisible and bidi-control characters go (they hide instructions from the reader and flip
 *    how a sender name reads: "\u202Egnp.exe" shows as "exe.png");
 *  - fields have a length bound.
 */

// C0 controls except tab, LF, CR; DEL; C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const LINE_CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Valid Unicode: each lone surrogate replaced by U+FFFD (String.prototype.toWellFormed, Node 20+). */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** A body: controls and invisible characters removed, line structure kept, valid Unicode. */
export function cleanBodyText(text: string): string {
  return stripInvisible(wellFormed(text).replace(CONTROL, "").replace(/\r\n?/g, "\n"));
}

/** Longest one-line field we keep (a subject, a display name); RFC 5322 lines are 998 octets. */
export const MAX_HEADER_TEXT = 998;

/** A one-line field (subject, sender name): one line of visible text, bounded, trimmed. */
export function cleanHeaderText(text: string, max = MAX_HEADER_TEXT): string {
  const line = stripInvisible(wellFormed(text).replace(LINE_CONTROL, " ")).replace(/\s+/g, " ").trim();
  if (line.length <= max) return line;
  // Cut before the code point that crosses the bound, never inside a surrogate pair.
  const high = line.charCodeAt(max - 1);
  const cut = high >= 0xd800 && high <= 0xdbff ? max - 1 : max;
  return line.slice(0, cut).trimEnd();
}
