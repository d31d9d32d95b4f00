import type { GmailMessagePart } from "@/lib/mail/gmail/api-schemas";

/**
 * An attachment as a test describes it. Without `content`, messages.attachments.get serves `size`
 * deterministic filler bytes; with it, `size` must be its length (Gmail's `body.size` counts the
 * decoded bytes, as the MessagePartBody reference says).
 */
export type FakeAttachment = {
  filename: string;
  mimeType: string;
  size: number;
  content?: Uint8Array;
  /** Content-Disposition: inline with a Content-ID, like a signature logo. */
  inline?: boolean;
};

/** A message as a test describes it; the fake renders the format=full resource Gmail would return. */
export type FakeMessageSpec = {
  /** `Name <address>` or a bare address. */
  from: string;
  /** Defaults to the mailbox address. */
  to?: string | string[];
  cc?: string | string[];
  replyTo?: string;
  subject?: string;
  /** Date header; defaults to the received time. A string is used verbatim. */
  date?: Date | string;
  text?: string;
  html?: string;
  /** Charset the text/html bodies are encoded in (default utf-8); the 8-bit ones encode Latin-1 only. */
  charset?: "utf-8" | "iso-8859-1" | "windows-1252";
  /** Extra top-level headers, e.g. List-Unsubscribe, Precedence. */
  headers?: Record<string, string>;
  /** Gmail label ids; default INBOX, UNREAD, CATEGORY_PERSONAL. */
  labels?: string[];
  attachments?: FakeAttachment[];
  /** RFC 822 Message-ID without brackets; generated when absent. */
  messageId?: string;
  threadId?: string;
  /** When Gmail received it; defaults to the fake's clock. */
  receivedAt?: Date;
};

type Header = { name: string; value: string };

function list(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(", ") : v;
}

export function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, "+0000");
}

function textLeaf(
  partId: string,
  type: "text/plain" | "text/html",
  content: string,
  charset: string,
): GmailMessagePart {
  const bytes = Buffer.from(content, charset === "utf-8" ? "utf8" : "latin1");
  return {
    partId,
    mimeType: type,
    filename: "",
    headers: [
      { name: "Content-Type", value: `${type}; charset="${charset.toUpperCase()}"` },
      { name: "Content-Transfer-Encoding", value: "quoted-printable" },
    ],
    body: { size: bytes.length, data: bytes.toString("base64url") },
  };
}

function multipart(partId: string, subtype: string, parts: GmailMessagePart[]): GmailMessagePart {
  const boundary = `000000000000${Math.random().toString(16).slice(2, 14)}`;
  const renumber = (p: GmailMessagePart, id: string): GmailMessagePart => ({
    ...p,
    partId: id,
    parts: p.parts?.map((c, i) => renumber(c, `${id}.${i}`)),
  });
  return {
    partId,
    mimeType: `multipart/${subtype}`,
    filename: "",
    headers: [{ name: "Content-Type", value: `multipart/${subtype}; boundary="${boundary}"` }],
    body: { size: 0 },
    parts: parts.map((p, i) => renumber(p, partId === "" ? String(i) : `${partId}.${i}`)),
  };
}

function attachmentLeaf(a: FakeAttachment, attachmentId: string): GmailMessagePart {
  const disposition = a.inline ? "inline" : "attachment";
  return {
    partId: "",
    mimeType: a.mimeType,
    filename: a.filename,
    headers: [
      { name: "Content-Type", value: `${a.mimeType}; name="${a.filename}"` },
      { name: "Content-Disposition", value: `${disposition}; filename="${a.filename}"` },
      { name: "Content-Transfer-Encoding", value: "base64" },
      ...(a.inline ? [{ name: "Content-ID", value: `<${attachmentId}@fake>` }] : []),
    ],
    body: { attachmentId, size: a.content?.byteLength ?? a.size },
  };
}

/** The bytes messages.attachments.get serves for a fake attachment. */
export function attachmentBytes(a: FakeAttachment): Uint8Array {
  if (a.content) return a.content;
  const filler = new Uint8Array(a.size);
  for (let i = 0; i < filler.length; i++) filler[i] = (i * 31 + 7) & 0xff;
  return filler;
}

/**
 * The `payload` of users.messages.get?format=full: text and/or HTML (multipart/alternative when
 * both), wrapped in multipart/mixed with attachment parts (attachmentId + size, no data).
 */
export function buildPayload(
  spec: FakeMessageSpec,
  context: { mailbox: string; receivedAt: Date; rfcMessageId: string; attachmentId: (i: number) => string },
): GmailMessagePart {
  const charset = spec.charset ?? "utf-8";
  const leaves: GmailMessagePart[] = [];
  if (spec.text !== undefined || spec.html === undefined)
    leaves.push(textLeaf("", "text/plain", spec.text ?? "", charset));
  if (spec.html !== undefined) leaves.push(textLeaf("", "text/html", spec.html, charset));
  let body = leaves.length === 2 ? multipart("", "alternative", leaves) : (leaves[0] as GmailMessagePart);
  const attachments = spec.attachments ?? [];
  if (attachments.length > 0) {
    body = multipart("", "mixed", [
      body,
      ...attachments.map((a, i) => attachmentLeaf(a, context.attachmentId(i))),
    ]);
  }
  const date =
    spec.date === undefined
      ? rfc2822(context.receivedAt)
      : typeof spec.date === "string"
        ? spec.date
        : rfc2822(spec.date);
  const headers: Header[] = [
    { name: "Delivered-To", value: context.mailbox },
    { name: "Received", value: `by 2002:a05:6000:1a8e with SMTP id fake; ${rfc2822(context.receivedAt)}` },
    { name: "MIME-Version", value: "1.0" },
    { name: "Date", value: date },
    { name: "Message-ID", value: `<${context.rfcMessageId}>` },
    { name: "Subject", value: spec.subject ?? "" },
    { name: "From", value: spec.from },
    { name: "To", value: list(spec.to) ?? context.mailbox },
  ];
  const cc = list(spec.cc);
  if (cc) headers.push({ name: "Cc", value: cc });
  if (spec.replyTo) headers.push({ name: "Reply-To", value: spec.replyTo });
  for (const [name, value] of Object.entries(spec.headers ?? {})) headers.push({ name, value });
  return { ...body, partId: "", headers: [...headers, ...(body.headers ?? [])] };
}

/** Gmail's snippet: the start of the visible text, whitespace collapsed. */
export function snippetOf(spec: FakeMessageSpec): string {
  const source = spec.text ?? (spec.html ?? "").replace(/<[^>]*>/g, " ");
  return source.replace(/\s+/g, " ").trim().slice(0, 200);
}
