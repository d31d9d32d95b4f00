import { cleanText } from "@/lib/domain/clean-text";

/** A reply's text is bounded: the WhatsApp text a recipient can type is 4,096 characters. */
export const MAX_REPLY_CHARS = 4096;

/**
 * What a recipient typed on WhatsApp, as the plain text of an email: WhatsApp's markup pairs
 * (*bold*, _italic_, ~strike~, ```mono```, `code`) lose their markers, emoji and line breaks stay,
 * controls and invisible direction marks go, and surrounding blank lines are trimmed.
 */
export function whatsAppToPlainText(input: string): string {
  let text = cleanText(input)
    .replace(/\r\n?/g, "\n")
    .replace(/[\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, "");
  text = text.replace(/```([\s\S]+?)```/g, "$1").replace(/`([^`\n]+)`/g, "$1");
  // A pair counts only around text that starts and ends with a non-space, as WhatsApp renders it.
  for (const pair of MARKUP_PAIRS) text = text.replace(pair, "$1$2");
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
    .slice(0, MAX_REPLY_CHARS);
}

const pairOf = (mark: string) =>
  new RegExp(`(^|[\\s\\p{P}])[${mark}](\\S(?:[^${mark}\\n]*\\S)?)[${mark}](?=$|[\\s\\p{P}])`, "gu");
const MARKUP_PAIRS = ["*", "_", "~"].map(pairOf);

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** The same text as HTML for a provider that takes HTML (Graph's reply comment): escaped, line breaks kept. */
export function plainTextToHtml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .split("\n")
    .join("<br>");
}
