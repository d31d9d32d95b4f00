import { z } from "zod";
import type { AttachmentMeta, EmailAddress, NormalizedMessage, ProviderCategory } from "@/lib/mail/types";
import { htmlToVisibleText, stripInvisible } from "@/lib/mail/visible-text";

const recipientSchema = z.object({
  emailAddress: z.object({ name: z.string().nullish(), address: z.string().nullish() }).nullish(),
});

/** The Graph `message` fields we select (see GRAPH_MESSAGE_SELECT); everything else is dropped. */
export const graphMessageSchema = z.object({
  id: z.string().min(1),
  conversationId: z.string().nullish(),
  internetMessageId: z.string().nullish(),
  from: recipientSchema.nullish(),
  sender: recipientSchema.nullish(),
  toRecipients: z.array(recipientSchema).nullish(),
  ccRecipients: z.array(recipientSchema).nullish(),
  replyTo: z.array(recipientSchema).nullish(),
  subject: z.string().nullish(),
  receivedDateTime: z.string().nullish(),
  sentDateTime: z.string().nullish(),
  body: z.object({ contentType: z.string(), content: z.string().nullish() }).nullish(),
  internetMessageHeaders: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
  categories: z.array(z.string()).nullish(),
  inferenceClassification: z.string().nullish(),
  isDraft: z.boolean().nullish(),
  isRead: z.boolean().nullish(),
  webLink: z.string().nullish(),
  attachments: z
    .array(
      z.object({
        /** Graph always names the derived type: fileAttachment, itemAttachment or referenceAttachment. */
        "@odata.type": z.string().nullish(),
        id: z.string().nullish(),
        name: z.string().nullish(),
        contentType: z.string().nullish(),
        size: z.number().nullish(),
        isInline: z.boolean().nullish(),
      }),
    )
    .nullish(),
});
export type GraphMessage = z.infer<typeof graphMessageSchema>;

/** `$select` for getMessage: only what the pipeline reads. */
export const GRAPH_MESSAGE_SELECT = [
  "id",
  "conversationId",
  "internetMessageId",
  "from",
  "sender",
  "toRecipients",
  "ccRecipients",
  "replyTo",
  "subject",
  "receivedDateTime",
  "sentDateTime",
  "body",
  "internetMessageHeaders",
  "categories",
  "inferenceClassification",
  "isDraft",
  "isRead",
  "webLink",
] as const;

// Transport headers: long, repeated, and of no use to triage.
const DROPPED_HEADERS = /^(?:received|arc-[a-z-]+|dkim-signature|x-ms-exchange-crosstenant-[a-z-]+)$/;

function address(r: z.infer<typeof recipientSchema> | null | undefined): EmailAddress | null {
  const a = r?.emailAddress?.address?.trim();
  if (!a) return null;
  const name = r?.emailAddress?.name?.trim();
  return { name: name ? name : null, address: a };
}

function addresses(list: z.infer<typeof recipientSchema>[] | null | undefined): EmailAddress[] {
  return (list ?? []).map(address).filter((a): a is EmailAddress => a !== null);
}

function headers(list: GraphMessage["internetMessageHeaders"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, value } of list ?? []) {
    const key = name.trim().toLowerCase();
    // First occurrence wins: the topmost header is the one the last hop added.
    if (key && !DROPPED_HEADERS.test(key) && !(key in out)) out[key] = value;
  }
  return out;
}

/**
 * Focused Inbox is Outlook's only built-in split. "focused" is the primary tab; "other" is NOT a
 * promotions signal on its own (newsletters the user reads land there, so do real clients), hence null.
 */
function category(inference: string | null | undefined): ProviderCategory | null {
  return inference?.toLowerCase() === "focused" ? "primary" : null;
}

/** `#microsoft.graph.itemAttachment` → "item"; anything but item/reference is a file. */
function attachmentType(odataType: string | null | undefined): AttachmentMeta["type"] {
  const t = (odataType ?? "").toLowerCase();
  if (t.endsWith("itemattachment")) return "item";
  if (t.endsWith("referenceattachment")) return "reference";
  return "file";
}

function attachments(list: GraphMessage["attachments"]): AttachmentMeta[] {
  return (list ?? [])
    .filter((a) => a.isInline !== true) // signature logos and pasted images are not attachments to a reader
    .map((a) => ({
      filename: a.name ? a.name : null,
      mimeType: a.contentType ? a.contentType : "application/octet-stream",
      size: Math.max(0, Math.trunc(a.size ?? 0)),
      providerAttachmentId: a.id ? a.id : null,
      inline: false,
      contentId: null,
      type: attachmentType(a["@odata.type"]),
    }));
}

function stripBrackets(id: string | null | undefined): string | null {
  const trimmed = id?.trim().replace(/^<|>$/g, "");
  return trimmed ? trimmed : null;
}

/**
 * Graph message JSON -> NormalizedMessage. `mailboxAddress` decides `fromSelf` (mail the user sent
 * to their own inbox is never alerted). The HTML body is converted with hidden content removed.
 */
export function graphMessageToNormalized(
  raw: unknown,
  params: { mailboxAddress: string },
): NormalizedMessage {
  const m = graphMessageSchema.parse(raw);
  const from = address(m.from) ?? address(m.sender) ?? { name: null, address: "" };
  const isHtml = m.body?.contentType.toLowerCase() === "html";
  const content = m.body?.content ?? "";
  const mailbox = params.mailboxAddress.trim().toLowerCase();
  return {
    provider: "outlook",
    providerMessageId: m.id,
    threadId: m.conversationId ?? null,
    internetMessageId: stripBrackets(m.internetMessageId),
    from,
    to: addresses(m.toRecipients),
    cc: addresses(m.ccRecipients),
    replyTo: addresses(m.replyTo),
    subject: stripInvisible(m.subject ?? ""),
    date: m.sentDateTime ?? m.receivedDateTime ?? new Date(0).toISOString(),
    headers: headers(m.internetMessageHeaders),
    labels: m.categories ?? [],
    category: category(m.inferenceClassification),
    text: isHtml ? htmlToVisibleText(content) : stripInvisible(content).replace(/\r\n?/g, "\n").trim(),
    html: isHtml ? content : null,
    attachments: attachments(m.attachments),
    webLink: m.webLink ? m.webLink : null,
    fromSelf: mailbox !== "" && from.address.toLowerCase() === mailbox,
  };
}
