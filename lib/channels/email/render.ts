import type { RenderedMessage } from "@/lib/channels/rendered";
import { type Locale, translator } from "@/lib/i18n/catalogue";

/** An alert as an e-mail: subject, plain text and HTML, with its buttons as links. */
export type EmailContent = { subject: string; text: string; html: string };
export type ButtonLink = { title: string; url: string };

const SUBJECT_MAX = 150;

/**
 * The rendered bodies use WhatsApp's markup (`*bold*`, `_italic_`); text that came from an email
 * was already given look-alike characters for those (lib/channels/whatsapp/escape.ts), so the
 * markers left are ours.
 */
const plain = (text: string) =>
  text.replace(/\*([^*\n]+)\*/g, "$1").replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, "$1$2");

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

const htmlLine = (line: string) =>
  escapeHtml(line)
    .replace(/\*([^*\n]+)\*/g, "<strong>$1</strong>")
    .replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, "$1<em>$2</em>");

/** The first line, without markup, as the subject (an alert's first line is its priority and subject). */
function subjectOf(body: string): string {
  const first = plain(body.split("\n").find((l) => l.trim() !== "") ?? "FluxAsync").trim();
  return first.length > SUBJECT_MAX ? `${first.slice(0, SUBJECT_MAX - 1).trimEnd()}…` : first;
}

export function renderEmail(
  rendered: RenderedMessage,
  links: ButtonLink[],
  unsubscribeUrl: string,
  locale: Locale,
): EmailContent {
  const t = translator(locale, "email");
  const lines = rendered.body.split("\n");
  const actionsText =
    links.length > 0
      ? [``, t("actions"), ...links.map((l) => `${l.title} → ${l.url}`), t("linkExpires")]
      : [];
  const text = [
    ...lines.map(plain),
    ...actionsText,
    "",
    "—",
    t("footer"),
    `${t("unsubscribe")} → ${unsubscribeUrl}`,
  ].join("\n");
  const buttons = links
    .map(
      (l) =>
        `<a href="${escapeHtml(l.url)}" style="display:inline-block;margin:4px 8px 4px 0;padding:8px 14px;border:1px solid #0b6e4f;border-radius:6px;color:#0b6e4f;text-decoration:none">${escapeHtml(l.title)}</a>`,
    )
    .join("");
  const html = [
    `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5">`,
    `<p>${lines.map(htmlLine).join("<br>")}</p>`,
    links.length > 0
      ? `<p>${buttons}</p><p style="color:#666;font-size:12px">${escapeHtml(t("linkExpires"))}</p>`
      : "",
    `<hr><p style="color:#666;font-size:12px">${escapeHtml(t("footer"))} `,
    `<a href="${escapeHtml(unsubscribeUrl)}">${escapeHtml(t("unsubscribe"))}</a></p>`,
    "</body></html>",
  ].join("");
  return { subject: subjectOf(rendered.body), text, html };
}
