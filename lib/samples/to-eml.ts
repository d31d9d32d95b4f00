import type { Sample } from "@/lib/samples/samples";

/*
 * Builds RFC 822 / MIME messages the way real mail clients do: UTF-8 everywhere, encoded words
 * (RFC 2047) for non-ASCII headers, quoted-printable text parts, base64 HTML parts and
 * attachments, multipart/alternative when both bodies exist, multipart/mixed with attachments.
 * Used for the sample set, the sandbox mailbox and the provider fakes.
 */

export type EmlAttachment = { filename: string; mimeType: string; content: Uint8Array };

export type EmlInput = {
  from: { name?: string | null; address: string };
  to: { name?: string | null; address: string }[];
  subject: string;
  /** ISO 8601. */
  date: string;
  messageId?: string;
  /** Extra headers (List-Unsubscribe, Auto-Submitted, Reply-To…), written as given. */
  headers?: Record<string, string>;
  text?: string | null;
  html?: string | null;
  attachments?: EmlAttachment[];
};

const CRLF = "\r\n";
const encoder = new TextEncoder();

const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

function wrap76(s: string): string {
  return s.replace(/.{1,76}/g, (line) => `${line}${CRLF}`).trimEnd();
}

/** RFC 2047 "B" encoded words, each at most 75 characters, never splitting a character. */
export function encodeWords(value: string): string {
  if (isAscii(value)) return value;
  const words: string[] = [];
  let chunk = "";
  for (const ch of value) {
    if (encoder.encode(chunk + ch).length > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${base64(encoder.encode(w))}?=`).join(`${CRLF} `);
}

function mailbox(a: { name?: string | null; address: string }): string {
  // An empty sender is written the way real mail carries it: From: "" <>.
  if (!a.name) return a.address || `"" <>`;
  const name = isAscii(a.name) ? `"${a.name.replace(/(["\\])/g, "\\$1")}"` : encodeWords(a.name);
  return `${name} <${a.address}>`;
}

/** Quoted-printable (RFC 2045) of UTF-8 text, soft-wrapped at 76 characters, CRLF line ends. */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    const bytes = encoder.encode(line);
    let encoded = "";
    bytes.forEach((b, i) => {
      const last = i === bytes.length - 1;
      const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
      encoded += literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
    });
    let rest = encoded;
    while (rest.length > 76) {
      let cut = 75;
      // Never split an "=XX" escape across a soft line break.
      const eq = rest.lastIndexOf("=", cut);
      if (eq > cut - 3) cut = eq;
      out.push(`${rest.slice(0, cut)}=`);
      rest = rest.slice(cut);
    }
    out.push(rest);
  }
  return out.join(CRLF);
}

function rfc5322Date(iso: string): string {
  const d = new Date(iso);
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

type Part = { headers: string[]; body: string };

const textPart = (text: string): Part => ({
  headers: ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"],
  body: quotedPrintable(text),
});
const htmlPart = (html: string): Part => ({
  headers: ["Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64"],
  body: wrap76(base64(encoder.encode(html))),
});

function multipart(subtype: string, parts: Part[], boundary: string): Part {
  const body = parts
    .map((p) => `--${boundary}${CRLF}${p.headers.join(CRLF)}${CRLF}${CRLF}${p.body}${CRLF}`)
    .join("");
  return {
    headers: [`Content-Type: multipart/${subtype}; boundary="${boundary}"`],
    body: `${body}--${boundary}--`,
  };
}

function attachmentPart(a: EmlAttachment): Part {
  const name = encodeWords(a.filename);
  return {
    headers: [
      `Content-Type: ${a.mimeType}; name="${name}"`,
      "Content-Transfer-Encoding: base64",
      `Content-Disposition: attachment; filename="${name}"`,
    ],
    body: wrap76(base64(a.content)),
  };
}

export function toEml(input: EmlInput): string {
  const id =
    input.messageId ?? `${Date.parse(input.date)}.${input.from.address.replace(/\W/g, "")}@fluxasync.test`;
  // "=_" cannot occur in quoted-printable or base64 output, so the boundary never collides.
  const tag = id.replace(/[^A-Za-z0-9]/g, "").slice(0, 40);
  let content: Part =
    input.text && input.html
      ? multipart("alternative", [textPart(input.text), htmlPart(input.html)], `=_alt_${tag}`)
      : input.html
        ? htmlPart(input.html)
        : textPart(input.text ?? "");
  if (input.attachments?.length) {
    content = multipart("mixed", [content, ...input.attachments.map(attachmentPart)], `=_mixed_${tag}`);
  }
  const headers = [
    `From: ${mailbox(input.from)}`,
    `To: ${input.to.map(mailbox).join(", ")}`,
    `Subject: ${encodeWords(input.subject)}`,
    `Date: ${rfc5322Date(input.date)}`,
    `Message-ID: <${id}>`,
    "MIME-Version: 1.0",
    ...Object.entries(input.headers ?? {}).map(([k, v]) => `${k}: ${isAscii(v) ? v : encodeWords(v)}`),
    ...content.headers,
  ];
  return `${headers.join(CRLF)}${CRLF}${CRLF}${content.body}${CRLF}`;
}

/** One sample of the labelled set as an RFC 822 message. */
export function sampleToEml(sample: Sample): string {
  return toEml({
    from: { name: sample.fromName, address: sample.from },
    to: [{ address: sample.to }],
    subject: sample.subject,
    date: sample.date,
    messageId: `${sample.id}@samples.fluxasync.test`,
    headers: sample.headers,
    text: sample.text || null,
    html: sample.html ?? null,
  });
}
