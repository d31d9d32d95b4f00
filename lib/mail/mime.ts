import PostalMime, { type Address, type Email } from "postal-mime";
import { cleanNormalizedMessage } from "@/lib/mail/clean-message";
import {
  headerlessMessage,
  headersOnlyMessage,
  looksLikeHeaders,
  withoutMboxSeparator,
} from "@/lib/mail/mime-fallback";
import {
  type EmailAddress,
  type NormalizedMessage,
  normalizedMessageSchema,
  type ProviderCategory,
  type ProviderKind,
} from "@/lib/mail/types";
import { htmlToVisibleText } from "@/lib/mail/visible-text";

/*
 * Raw RFC 822 (sandbox mailbox, .eml files, the triage CLI) -> NormalizedMessage. postal-mime
 * decodes charsets, encoded words and transfer encodings; attachments are reduced to metadata
 * as soon as they are parsed (their content is never kept).
 *
 * Every input becomes a message, never an exception: mail is hostile input, and an email that
 * cannot be parsed must still be recorded and judged, not retried until it dies. An empty or
 * binary file is a message without headers; one past postal-mime's limits (MIME nesting, header
 * size) keeps its top-level headers and no body; everything is then cleaned and bounded
 * (lib/mail/clean-message.ts). The analysis judges an empty sender as the signal it is.
 */

/** postal-mime's limits: a legitimate message nests a handful of parts and carries kilobytes of headers. */
export const MIME_LIMITS = { maxNestingDepth: 64, maxHeadersSize: 1024 * 1024, maxRfc822NestingDepth: 3 };

/** The headers triage looks at, lower-cased; everything else is dropped. */
const KEPT_HEADERS = [
  // The topmost one is the receiving server's verdict (the first occurrence is kept).
  "authentication-results",
  // Exchange Online's own verdict on intra-tenant mail ("Internal"), trusted only on its mailboxes.
  "x-ms-exchange-organization-authas",
  "in-reply-to",
  "references",
  "list-unsubscribe",
  "list-id",
  "precedence",
  "auto-submitted",
  "x-auto-response-suppress",
  "content-language",
  "return-path",
  "reply-to",
  "x-priority",
  "importance",
];

export type ParseOptions = {
  providerMessageId: string;
  provider?: ProviderKind;
  threadId?: string | null;
  labels?: string[];
  category?: ProviderCategory | null;
  /** When given, mail from this address is marked `fromSelf`. */
  mailboxAddress?: string;
  /** Used when the Date header is missing or unreadable. */
  receivedAt?: Date;
  webLink?: string | null;
};

function flatten(list: Address[] | undefined): EmailAddress[] {
  const out: EmailAddress[] = [];
  for (const a of list ?? []) {
    if (a.group) for (const m of a.group) out.push({ name: m.name || null, address: m.address });
    else if (a.address) out.push({ name: a.name || null, address: a.address });
  }
  return out;
}

/**
 * postal-mime fills `text` from the HTML (and `html` from the text) when a part is missing. A
 * converted text would include hidden HTML content, so we only trust `text` when the message
 * really has an inline text/plain part, and rebuild it from the visible HTML otherwise.
 */
function hasOwnPart(raw: string, email: Email, type: "plain" | "html"): boolean {
  const declared = raw.match(new RegExp(`^content-type:[ \\t]*text/${type}\\b`, "gim"))?.length ?? 0;
  const asAttachments = email.attachments.filter((a) => a.mimeType === `text/${type}`).length;
  const rootIsImplicitPlain = type === "plain" && !email.headers.some((h) => h.key === "content-type");
  return declared - asAttachments > 0 || rootIsImplicitPlain;
}

function headerMap(email: Email): Record<string, string> {
  const map: Record<string, string> = {};
  for (const h of email.headers) {
    if (KEPT_HEADERS.includes(h.key) && map[h.key] === undefined) map[h.key] = h.value.trim();
  }
  return map;
}

function toText(input: string | Uint8Array | ArrayBuffer): string {
  if (typeof input === "string") return input;
  // latin1 keeps every byte: enough to find the MIME structure of an 8-bit message.
  return Buffer.from(input instanceof ArrayBuffer ? new Uint8Array(input) : input).toString("latin1");
}

export async function parseRawMessage(
  raw: string | Uint8Array | ArrayBuffer,
  options: ParseOptions,
): Promise<NormalizedMessage> {
  const input = withoutMboxSeparator(raw);
  const received = options.receivedAt ?? new Date();
  if (!looksLikeHeaders(input)) return cleanNormalizedMessage(headerlessMessage(input, options), received);
  let email: Email;
  try {
    email = await PostalMime.parse(input, { attachmentEncoding: "arraybuffer", ...MIME_LIMITS });
  } catch {
    return cleanNormalizedMessage(headersOnlyMessage(input, options), received);
  }
  const from = flatten(email.from ? [email.from] : undefined)[0] ?? {
    name: email.from?.name || null,
    address: "",
  };
  const rawText = toText(input);
  const html = email.html && hasOwnPart(rawText, email, "html") ? email.html : null;
  const plain = email.text && hasOwnPart(rawText, email, "plain") ? email.text : null;
  const text = plain !== null ? plain : html ? htmlToVisibleText(html) : "";
  // The part index is the sandbox's attachment id: the sandbox provider parses the file again to
  // hand over one part's bytes on demand (see lib/mail/sandbox/provider.ts).
  const attachments = email.attachments.map((a, index) => ({
    filename: a.filename,
    mimeType: a.mimeType,
    size: typeof a.content === "string" ? Buffer.byteLength(a.content) : a.content.byteLength,
    providerAttachmentId: String(index),
    inline: a.disposition === "inline",
    contentId: a.contentId ? a.contentId.replace(/^<|>$/g, "") : null,
    type: "file" as const,
  }));
  const sent = email.date ? new Date(email.date) : null;
  const mailbox = options.mailboxAddress?.toLowerCase();

  const message = normalizedMessageSchema.parse({
    provider: options.provider ?? "sandbox",
    providerMessageId: options.providerMessageId,
    threadId: options.threadId ?? null,
    internetMessageId: email.messageId ? email.messageId.replace(/^<|>$/g, "") : null,
    from,
    to: flatten(email.to),
    cc: flatten(email.cc),
    replyTo: flatten(email.replyTo),
    subject: email.subject ?? "",
    date: (sent && !Number.isNaN(sent.getTime()) ? sent : received).toISOString(),
    headers: headerMap(email),
    labels: options.labels ?? [],
    category: options.category ?? null,
    text,
    html,
    attachments,
    webLink: options.webLink ?? null,
    fromSelf: mailbox !== undefined && from.address !== "" && from.address.toLowerCase() === mailbox,
  });
  return cleanNormalizedMessage(message, received);
}
