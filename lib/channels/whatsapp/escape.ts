import { stripInvisible } from "@/lib/mail/visible-text";

/**
 * WhatsApp has no escape character: `*bold*`, `_italic_`, `~strike~`, `` `code` ``, ``` ```mono``` ```,
 * and `> `, `- `, `* `, `1. ` at a line start all format, whatever we meant. Text that comes from an
 * email (or from the model that read it) therefore gets its markup characters replaced by
 * look-alikes that WhatsApp does not interpret. Look-alikes rather than zero-width separators
 * because the pipeline strips zero-width characters from emails as an attack vector (they hide
 * words and split keywords), WhatsApp clients do not document how they treat them, and a visible
 * look-alike renders the same on every client. The cost: copying such a character from the alert
 * gives the look-alike, not the original — acceptable for an alert that is read, not reused.
 */
const LOOK_ALIKES: Record<string, string> = {
  "*": "\u2217", // ∗ asterisk operator
  _: "\u02CD", // ˍ modifier letter low macron (narrower than the full-width low line)
  "~": "\u223C", // ∼ tilde operator
  "`": "\u02CB", // ˋ modifier letter grave accent
};

/** Replaces WhatsApp markup characters, including line-start quote and list markers. */
export function escapeFormatting(text: string): string {
  return text
    .replace(/[*_~`]/g, (c) => LOOK_ALIKES[c] ?? c)
    .replace(/^([ \t]*)>/gm, "$1\u203A") // › single right-pointing angle quotation mark
    .replace(/^([ \t]*)-(?=\s)/gm, "$1\u2010") // ‐ hyphen: "- item" would become a bullet
    .replace(/^([ \t]*)(\d+)\.(?=\s)/gm, "$1$2\u2024"); // ․ one dot leader: "1. item" would become a list
}

const SCHEME = /\b(?:https?|s?ftps?|file):\/\//gi;
/** A dot followed by letters ("banque.ci", "www.x", "a@b.com") or an IPv4 address: WhatsApp links those. */
const HOST_LIKE = /\.\p{L}{2}|\b\d{1,3}(?:\.\d{1,3}){3}\b/u;

/** A document's own extension is no host: "FA-2291.pdf" stays, "x.com.pdf" → "x[.]com.pdf". */
const DOCUMENT_EXTENSION = /\.(?:pdf|docx?|xlsx?|csv|txt|html?|png|jpe?g)$/i;

/**
 * Makes links from an email unclickable: schemes are dropped and every dot of a host-like word
 * becomes "[.]" (`https://x.ci/a` → `x[.]ci/a`), the convention security teams use to quote phishing
 * links. Word by word, so the cost stays linear whatever an email contains.
 */
export function defangLinks(text: string, opts: { keepFileExtensions?: boolean } = {}): string {
  const defang = (word: string) => (HOST_LIKE.test(word) ? word.replaceAll(".", "[.]") : word);
  return text.replace(SCHEME, "").replace(/[^\s]+/g, (word) => {
    const ext = opts.keepFileExtensions ? DOCUMENT_EXTENSION.exec(word) : null;
    return ext ? `${defang(word.slice(0, ext.index))}${ext[0]}` : defang(word);
  });
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Cuts to at most `max` UTF-16 units (the strictest way to count Meta's "characters"), ending with
 * "…", never inside a grapheme: an emoji, a flag or a letter with its accents stays whole or goes.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  let next = "";
  for (const { segment } of segmenter.segment(text)) {
    if (out.length + segment.length > max - 1) {
      next = segment;
      break;
    }
    out += segment;
  }
  // Prefer ending on a whole word when one ends close enough to the limit.
  const lastSpace = out.lastIndexOf(" ");
  if (next.trim() !== "" && lastSpace > out.length * 0.8) out = out.slice(0, lastSpace);
  return `${out.trimEnd()}…`;
}

/**
 * Removes zero-width and bidi characters except inside emoji: a family or a flag is one grapheme
 * built with joiners and variation selectors, and stripping those would break it into pieces.
 */
function stripInvisibleKeepingEmoji(text: string): string {
  let out = "";
  for (const { segment } of segmenter.segment(text)) {
    out += /\p{Extended_Pictographic}/u.test(segment) ? segment : stripInvisible(segment);
  }
  return out;
}

/**
 * Prepares one line of email-derived text for a message: invisible and bidi characters removed
 * (they can reverse or hide text), whitespace collapsed to one line, links defanged, markup escaped,
 * and the result cut to `max`.
 */
export function emailText(text: string, max: number): string {
  // Bounded first: an email can be huge and only `max` units will be shown.
  const bounded = text.length > max * 4 ? text.slice(0, max * 4).replace(/[\uD800-\uDBFF]$/, "") : text;
  const oneLine = stripInvisibleKeepingEmoji(bounded).replace(/\s+/g, " ").trim();
  return truncate(escapeFormatting(defangLinks(oneLine)), max);
}

/** Like `emailText` for a line that names the sender's attachments: their extensions stay readable. */
export function fileLineText(text: string, max: number): string {
  const bounded = text.length > max * 4 ? text.slice(0, max * 4).replace(/[\uD800-\uDBFF]$/, "") : text;
  const oneLine = stripInvisibleKeepingEmoji(bounded).replace(/\s+/g, " ").trim();
  return truncate(escapeFormatting(defangLinks(oneLine, { keepFileExtensions: true })), max);
}

/** Like `emailText` for a sender address: shown as written (a mailbox, not a link inside the content). */
export function emailAddressText(address: string, max: number): string {
  return truncate(escapeFormatting(stripInvisibleKeepingEmoji(address).replace(/\s+/g, "")), max);
}
