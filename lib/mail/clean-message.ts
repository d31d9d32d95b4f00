import { cleanBodyText, cleanHeaderText, wellFormed } from "@/lib/mail/clean-text";
import type { AttachmentMeta, EmailAddress, NormalizedMessage } from "@/lib/mail/types";
import { MAX_HTML_CHARS } from "@/lib/mail/visible-text";

/*
 * Every provider's output passes here before the pipeline sees it (the MIME parser, the Gmail and
 * Outlook transforms): each string cleaned (lib/mail/clean-text.ts), each list and field bounded,
 * and a date that cannot be a sending date (year 20000, 1601, NaN) replaced by the reception time.
 * Nothing here refuses a message: a hostile one becomes a plain one the analysis can judge.
 */

export const MESSAGE_LIMITS = {
  /** Addresses kept per list (To, Cc, Reply-To); a 10,000-address Cc says all it has to in 200. */
  addresses: 200,
  attachments: 200,
  /** Body text kept: the beginning and the end (where signatures and sign-offs sit). */
  textHeadChars: 900_000,
  textTailChars: 100_000,
  headerValueChars: 2_000,
  nameChars: 200,
  addressChars: 320,
} as const;

/**
 * A sending date we believe: from 1980 to a year after the reception (or now, if later). Past
 * that it is an invention (year 20000, 1601, NaN) and the reception time stands in: a deadline
 * "tomorrow" must be computed from a real day. Future dates within the year are kept — senders'
 * clocks are wrong, and some senders date mail ahead to stay on top of the inbox, which the
 * analysis may hold against them.
 */
const EARLIEST = Date.UTC(1980, 0, 1);
const AHEAD_MS = 366 * 24 * 3600 * 1000;

export function isPlausibleDate(sent: Date | null, received: Date): boolean {
  const t = sent?.getTime() ?? Number.NaN;
  return Number.isFinite(t) && t >= EARLIEST && t <= Math.max(received.getTime(), Date.now()) + AHEAD_MS;
}

function cleanAddress(a: EmailAddress): EmailAddress {
  const name = a.name === null ? "" : cleanHeaderText(a.name, MESSAGE_LIMITS.nameChars);
  return { name: name || null, address: cleanHeaderText(a.address, MESSAGE_LIMITS.addressChars) };
}

const cleanList = (list: EmailAddress[]) => list.slice(0, MESSAGE_LIMITS.addresses).map(cleanAddress);

function boundText(text: string): string {
  const { textHeadChars: head, textTailChars: tail } = MESSAGE_LIMITS;
  if (text.length <= head + tail) return text;
  return wellFormed(`${text.slice(0, head)}\n…\n${text.slice(text.length - tail)}`);
}

/** An attachment's metadata with its name and type cleaned (the sandbox matches parts by them). */
export function cleanAttachment<A extends Pick<AttachmentMeta, "filename" | "mimeType">>(a: A): A {
  const filename = a.filename === null ? "" : cleanHeaderText(a.filename, 255);
  return {
    ...a,
    filename: filename || null,
    mimeType: cleanHeaderText(a.mimeType, 127).toLowerCase() || "application/octet-stream",
  };
}

/** A message as the pipeline may store and show it; `received` dates a message whose Date is absurd. */
export function cleanNormalizedMessage(msg: NormalizedMessage, received = new Date()): NormalizedMessage {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(msg.headers))
    headers[key] = cleanHeaderText(value, MESSAGE_LIMITS.headerValueChars);
  const sent = new Date(msg.date);
  return {
    ...msg,
    threadId: msg.threadId === null ? null : cleanHeaderText(msg.threadId, 998) || null,
    internetMessageId:
      msg.internetMessageId === null ? null : cleanHeaderText(msg.internetMessageId, 998) || null,
    from: cleanAddress(msg.from),
    to: cleanList(msg.to),
    cc: cleanList(msg.cc),
    replyTo: cleanList(msg.replyTo),
    subject: cleanHeaderText(msg.subject),
    date: isPlausibleDate(sent, received) ? msg.date : received.toISOString(),
    headers,
    labels: msg.labels.slice(0, 200).map((l) => cleanHeaderText(l, 255)),
    text: boundText(cleanBodyText(msg.text)),
    // Kept in memory only, for hidden-text checks: valid Unicode, no NUL, bounded like the parser's input.
    html: msg.html === null ? null : wellFormed(msg.html.slice(0, MAX_HTML_CHARS)).replaceAll("\u0000", ""),
    attachments: msg.attachments.slice(0, MESSAGE_LIMITS.attachments).map(cleanAttachment),
  };
}
