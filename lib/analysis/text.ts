import { htmlToVisibleText, stripInvisible } from "@/lib/mail/visible-text";

/**
 * Lower-case, accent-free, typographic apostrophes and spaces flattened: keyword rules are
 * written once ("echeance") and match "Échéance", "ÉCHÉANCE" and "echeance" alike.
 */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\u2018\u2019\u02BC\u00B4`]/g, "'")
    .replace(/[\u00A0\u202F\u2007\u2009]/g, " ")
    .toLowerCase();
}

const TAG_CHARACTERS = /[\u{E0000}-\u{E007F}]/gu;
const LOOKS_LIKE_HTML = /<(?:html|body|div|p|table|span|br|a\s)[\s>/]/i;

/**
 * The text a person reads: plain bodies lose invisible characters; a "plain" body that is really
 * HTML (some senders do that) goes through the same hidden-content stripping as an HTML part.
 */
export function readableBody(text: string): string {
  const body = LOOKS_LIKE_HTML.test(text) ? htmlToVisibleText(text) : stripInvisible(text);
  // Unicode "tag" characters render as nothing but models read them ("ASCII smuggling").
  return body.replace(TAG_CHARACTERS, "").replace(/\r\n?/g, "\n");
}

/**
 * A body cut to what analysis reads: a prefix, and the last lines where a sign-off or a
 * "nouveau RIB ci-dessous" may sit. Every regex, date and amount parser runs on this, so one 10 MB
 * email costs no more than a long one.
 */
export function boundedBody(text: string, prefix = 16_000, suffix = 2_000): string {
  if (text.length <= prefix + suffix) return text;
  return `${text.slice(0, prefix)}\n[…]\n${text.slice(-suffix)}`;
}

export function truncate(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).trimEnd()}…`;
}

/** A subject as displayed: no invisible or tag characters, whitespace collapsed. */
export function readableSubject(subject: string): string {
  return stripInvisible(subject).replace(TAG_CHARACTERS, "").replace(/\s+/g, " ").trim();
}

const wordPatterns = new Map<string, RegExp>();

function wordPattern(word: string): RegExp {
  let pattern = wordPatterns.get(word);
  if (!pattern) {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    pattern = new RegExp(`(?<![a-z0-9])${escaped}(?![a-z0-9])`);
    wordPatterns.set(word, pattern);
  }
  return pattern;
}

/** How many of `words` occur in folded `text` (each counted once). */
export function countWords(text: string, words: string[]): number {
  return words.filter((w) => wordPattern(w).test(text)).length;
}

/** "RE:", "Réf :", "AW:", "SV:", "Antw:" (and "TR:", "Fwd:" with `forwards`): a subject answering or passing on another. */
export function hasReplyPrefix(subject: string, { forwards }: { forwards: boolean }): boolean {
  return (forwards ? REPLY_OR_FORWARD : REPLY).test(subject);
}
const REPLY = /^\s*(?:re|r[ée]f|aw|sv|antw)\s*(?:\[\d+\])?\s*:/i;
const REPLY_OR_FORWARD = /^\s*(?:re|r[ée]f|aw|sv|antw|tr|fwd?)\s*(?:\[\d+\])?\s*:/i;
