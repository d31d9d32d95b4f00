import { addressParser, decodeWords } from "postal-mime";
import type { ParseOptions } from "@/lib/mail/mime";
import type { EmailAddress, NormalizedMessage } from "@/lib/mail/types";

/*
 * The raw inputs postal-mime cannot make a message of, made into one anyway (see mime.ts): a file
 * with no header at all (empty, binary, plain text), and a message past the parser's limits, of
 * which only the top-level header block is read.
 */

type Raw = string | Uint8Array | ArrayBuffer;

const bytesOf = (raw: Raw): Uint8Array =>
  typeof raw === "string"
    ? Buffer.from(raw, "latin1")
    : raw instanceof ArrayBuffer
      ? new Uint8Array(raw)
      : raw;

/** An mbox export starts each message with a "From <addr> <date>" separator line, not a header. */
export function withoutMboxSeparator(raw: Raw): Raw {
  const bytes = bytesOf(raw);
  if (Buffer.from(bytes.subarray(0, 5)).toString("latin1") !== "From ") return raw;
  const newline = bytes.indexOf(0x0a);
  return newline < 0 ? new Uint8Array() : bytes.subarray(newline + 1);
}

/** Does the input start with a header field ("Name: value", RFC 5322 field-name characters)? */
export function looksLikeHeaders(raw: Raw): boolean {
  const start = Buffer.from(bytesOf(raw).subarray(0, 256)).toString("latin1");
  return /^[\x21-\x39\x3B-\x7E]{1,76}:/.test(start);
}

/** The first `max` bytes, as UTF-8 (invalid sequences become U+FFFD; clean-message strips controls). */
const utf8Prefix = (raw: Raw, max: number) => Buffer.from(bytesOf(raw).subarray(0, max)).toString("utf8");

function emptyMessage(options: ParseOptions, fields: Partial<NormalizedMessage>): NormalizedMessage {
  return {
    provider: options.provider ?? "sandbox",
    providerMessageId: options.providerMessageId,
    threadId: options.threadId ?? null,
    internetMessageId: null,
    from: { name: null, address: "" },
    to: [],
    cc: [],
    replyTo: [],
    subject: "",
    date: (options.receivedAt ?? new Date()).toISOString(),
    headers: {},
    labels: options.labels ?? [],
    category: options.category ?? null,
    text: "",
    html: null,
    attachments: [],
    webLink: options.webLink ?? null,
    fromSelf: false,
    ...fields,
  };
}

/** No header at all: the whole input (its first megabyte) is the body, with no sender. */
export function headerlessMessage(raw: Raw, options: ParseOptions): NormalizedMessage {
  return emptyMessage(options, { text: utf8Prefix(raw, 1_000_000) });
}

/** The header block's fields, unfolded, names lower-cased; the first occurrence of each wins. */
function headerFields(raw: Raw, maxBytes: number): Map<string, string> {
  // UTF-8 (RFC 6532 headers); a latin-1 byte that is not UTF-8 becomes U+FFFD rather than mojibake.
  const block = Buffer.from(bytesOf(raw).subarray(0, maxBytes)).toString("utf8");
  const end = block.search(/\r?\n\r?\n/);
  const fields = new Map<string, string>();
  const unfolded = (end < 0 ? block : block.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
  for (const line of unfolded.split(/\r?\n/)) {
    const m = /^([\x21-\x39\x3B-\x7E]+):[ \t]*(.*)$/.exec(line);
    if (m && !fields.has(m[1]!.toLowerCase())) fields.set(m[1]!.toLowerCase(), m[2]!);
  }
  return fields;
}

const decoded = (value: string | undefined) => (value === undefined ? "" : decodeWords(value));

function addresses(value: string | undefined): EmailAddress[] {
  if (!value) return [];
  return addressParser(decoded(value), { flatten: true })
    .filter((a) => a.address)
    .map((a) => ({ name: a.name || null, address: a.address! }));
}

/**
 * Past postal-mime's limits (a MIME tree 300 levels deep, megabytes of headers): the sender,
 * recipients, subject, date and Message-ID of the top-level header block, and no body.
 */
export function headersOnlyMessage(raw: Raw, options: ParseOptions): NormalizedMessage {
  const f = headerFields(raw, 1024 * 1024);
  const sent = f.get("date") ? new Date(f.get("date")!) : null;
  const mailbox = options.mailboxAddress?.toLowerCase();
  const from = addresses(f.get("from"))[0] ?? { name: null, address: "" };
  return emptyMessage(options, {
    internetMessageId: f.get("message-id")?.trim().replace(/^<|>$/g, "") || null,
    from,
    to: addresses(f.get("to")),
    cc: addresses(f.get("cc")),
    replyTo: addresses(f.get("reply-to")),
    subject: decoded(f.get("subject")),
    ...(sent && !Number.isNaN(sent.getTime()) ? { date: sent.toISOString() } : {}),
    fromSelf: mailbox !== undefined && from.address !== "" && from.address.toLowerCase() === mailbox,
  });
}
