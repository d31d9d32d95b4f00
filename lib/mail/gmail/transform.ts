import { decodeHeader, parseAddressHeader } from "@/lib/mail/address-list";
import { cleanNormalizedMessage } from "@/lib/mail/clean-message";
import type { GmailMessage } from "@/lib/mail/gmail/api-schemas";
import { collectBodies, partHeaders } from "@/lib/mail/gmail/mime-parts";
import { type NormalizedMessage, normalizedMessageSchema, type ProviderCategory } from "@/lib/mail/types";
import { htmlToVisibleText } from "@/lib/mail/visible-text";

/** Headers the pre-filter and classifier read; everything else (Received, DKIM, …) stays behind. */
const TRIAGE_HEADERS = [
  // Gmail's own verdict is the topmost Authentication-Results (authserv-id mx.google.com).
  "authentication-results",
  "list-unsubscribe",
  "list-unsubscribe-post",
  "list-id",
  "precedence",
  "auto-submitted",
  "x-auto-response-suppress",
  "reply-to",
  "return-path",
  "sender",
  "content-language",
  "in-reply-to",
  "references",
  "importance",
  "x-priority",
  "priority",
  "feedback-id",
  "x-mailer",
  "x-campaign",
  "x-mailgun-tag",
  "x-ses-outgoing",
];

const CATEGORIES: Record<string, ProviderCategory> = {
  CATEGORY_PERSONAL: "primary",
  CATEGORY_PROMOTIONS: "promotions",
  CATEGORY_SOCIAL: "social",
  CATEGORY_UPDATES: "updates",
  CATEGORY_FORUMS: "forums",
};

const addresses = parseAddressHeader;

function sentAt(dateHeader: string | undefined, internalDate: number | undefined): string {
  const parsed = dateHeader ? Date.parse(dateHeader) : Number.NaN;
  if (!Number.isNaN(parsed)) return new Date(parsed).toISOString();
  return new Date(internalDate ?? 0).toISOString();
}

/** Opens the message in Gmail's web client for the right account, even when several are signed in. */
export function gmailWebLink(mailboxAddress: string, messageId: string): string {
  return `https://mail.google.com/mail/?authuser=${encodeURIComponent(mailboxAddress)}#all/${messageId}`;
}

/** A users.messages.get (format=full) resource as the pipeline's `NormalizedMessage` (in memory only). */
export function gmailMessageToNormalized(
  message: GmailMessage,
  context: { mailboxAddress: string },
): NormalizedMessage {
  const payload = message.payload ?? { mimeType: "text/plain" };
  const headers = partHeaders(payload);
  const bodies = collectBodies(payload);
  const html = bodies.htmls.length > 0 ? bodies.htmls.join("\n") : null;
  const text =
    bodies.texts.length > 0 ? bodies.texts.join("\n\n").trim() : html ? htmlToVisibleText(html) : "";
  const labels = message.labelIds ?? [];
  const from = addresses(headers.get("from"))[0] ?? { name: null, address: "" };
  const kept: Record<string, string> = {};
  for (const name of TRIAGE_HEADERS) {
    const value = headers.get(name);
    if (value !== undefined) kept[name] = decodeHeader(value);
  }
  const messageId = headers.get("message-id")?.trim().replace(/^<|>$/g, "");
  const normalized = normalizedMessageSchema.parse({
    provider: "gmail",
    providerMessageId: message.id,
    threadId: message.threadId ?? null,
    internetMessageId: messageId || null,
    from,
    to: addresses(headers.get("to")),
    cc: addresses(headers.get("cc")),
    replyTo: addresses(headers.get("reply-to")),
    subject: decodeHeader(headers.get("subject")),
    date: sentAt(headers.get("date"), message.internalDate),
    headers: kept,
    labels,
    category: labels.map((l) => CATEGORIES[l]).find((c) => c !== undefined) ?? null,
    text,
    html,
    attachments: bodies.attachments,
    webLink: gmailWebLink(context.mailboxAddress, message.id),
    // Only Gmail's SENT label proves the owner sent it: a From header naming the owner's address
    // can be forged, and such mail (a fake "boss" asking for a transfer) must still be triaged.
    fromSelf: labels.includes("SENT"),
  });
  // Hostile text cleaned and fields bounded at the boundary (lib/mail/clean-message.ts); Gmail's
  // internalDate is when it arrived, what an absurd Date header falls back to.
  return cleanNormalizedMessage(normalized, new Date(message.internalDate ?? Date.now()));
}
