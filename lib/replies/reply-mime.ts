import type { OutgoingReply } from "@/lib/mail/provider";
import { toEml } from "@/lib/samples/to-eml";

/** Reply prefixes mail clients write (English, French, German, Nordic, Dutch), any case, "Re[2]:" too. */
const REPLY_PREFIX = /^\s*(?:re|ré|aw|sv|antw)\s*(?:\[\d+\])?\s*:\s*/i;

/** "Re: " exactly once: an answer to "RE: Re: Contrat" is "Re: Contrat", not "Re: RE: Re: Contrat". */
export function replySubject(subject: string | null): string {
  let rest = (subject ?? "").trim();
  while (REPLY_PREFIX.test(rest)) rest = rest.replace(REPLY_PREFIX, "");
  return `Re: ${rest}`.trimEnd();
}

/** RFC 5322 §3.6.4 allows dropping middle ids of a long chain; the first and the last few are kept. */
const MAX_REFERENCES = 10;

/**
 * The References of a reply: the original's References (or, lacking them, its In-Reply-To) then
 * its Message-ID (RFC 5322 §3.6.4). Ids are kept without angle brackets.
 */
export function replyReferences(original: {
  internetMessageId: string | null;
  references: string | null;
  inReplyTo: string | null;
}): string[] {
  const ids = (original.references ?? original.inReplyTo ?? "").match(/<[^<>\s]+>/g) ?? [];
  const chain = ids.map((id) => id.slice(1, -1));
  if (original.internetMessageId) chain.push(original.internetMessageId.replace(/^<|>$/g, ""));
  const unique = [...new Set(chain)];
  return unique.length <= MAX_REFERENCES ? unique : [unique[0]!, ...unique.slice(-(MAX_REFERENCES - 1))];
}

/**
 * The reply as an RFC 822 message (UTF-8, quoted-printable text and base64 HTML parts), with the
 * threading headers and, for an automatic reply, `Auto-Submitted: auto-replied` (RFC 3834 §5).
 */
export function replyMime(reply: OutgoingReply, from: string, now: Date, messageId: string): string {
  const headers: Record<string, string> = {};
  if (reply.inReplyTo) headers["In-Reply-To"] = `<${reply.inReplyTo}>`;
  if (reply.references.length > 0) headers.References = reply.references.map((id) => `<${id}>`).join(" ");
  if (reply.autoSubmitted) headers["Auto-Submitted"] = "auto-replied";
  return toEml({
    from: { address: from },
    to: [reply.to],
    subject: reply.subject,
    date: now.toISOString(),
    messageId,
    headers,
    text: reply.text,
    html: reply.html,
  });
}
