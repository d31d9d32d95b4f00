import { formatTime } from "@/lib/channels/format-values";
import { LIMITS } from "@/lib/channels/whatsapp/api";
import { emailAddressText, emailText, escapeFormatting, truncate } from "@/lib/channels/whatsapp/escape";
import type { RenderedReply } from "@/lib/channels/whatsapp/render-replies";
import { type Locale, translator } from "@/lib/i18n/catalogue";

/*
 * The WhatsApp side of answering an email: the list of approved replies, the prompt for a written
 * one, the confirmation showing the exact text and addressee, and every outcome. Row and button
 * ids: `rtpl:<alert>:<template>`, `rwrite:<alert>`, `mute:<alert>`, `rsend:<draft>`, `rcancel:<draft>`.
 */

const t = (locale: Locale, timeZone?: string) => translator(locale, "replies", timeZone);
const text = (body: string): RenderedReply => ({ body, buttons: [] });

/** "Awa Koné <awa@banque.ci>": who the reply goes to, as it will be addressed. */
export function addresseeText(name: string | null, address: string): string {
  const shown = emailAddressText(address, 120);
  const person = name ? emailText(name, 60) : "";
  return person && person.toLowerCase() !== address.toLowerCase() ? `${person} <${shown}>` : shown;
}

export type ReplyOption = { templateId: string; title: string; preview: string };

/** The list "↩️ Répondre" opens: approved replies (at most 8), "Écrire une réponse", "Ignorer l'adresse". */
export function renderReplyOptions(p: {
  locale: Locale;
  alertId: string;
  to: string;
  subject: string;
  options: ReplyOption[];
}): RenderedReply {
  const tr = t(p.locale);
  const shown = p.options.slice(0, 8);
  const body = tr(shown.length > 0 ? "list.body" : "list.bodyNoTemplates", {
    to: p.to,
    subject: emailText(p.subject, 200) || "—",
  });
  const other = {
    title: tr("list.sectionOther"),
    rows: [
      { id: `rwrite:${p.alertId}`, title: tr("list.write"), description: tr("list.writeDescription") },
      { id: `mute:${p.alertId}`, title: tr("list.mute") },
    ],
  };
  const templates = {
    title: tr("list.sectionTemplates"),
    rows: shown.map((o) => ({
      id: `rtpl:${p.alertId}:${o.templateId}`,
      title: truncate(o.title, 24),
      description: truncate(o.preview.replace(/\s+/g, " "), 72),
    })),
  };
  return {
    body: truncate(body, LIMITS.interactiveBody),
    buttons: [],
    list: { button: tr("list.button"), sections: shown.length > 0 ? [templates, other] : [other] },
  };
}

export function renderWritePrompt(locale: Locale, to: string): RenderedReply {
  return text(t(locale)("prompt.write", { to }));
}

/** The exact text and addressee, with "Envoyer" / "Annuler": nothing is sent before "Envoyer". */
export function renderConfirmation(p: {
  locale: Locale;
  draftId: string;
  to: string;
  subject: string;
  mailbox: string;
  text: string;
}): RenderedReply {
  const tr = t(p.locale);
  const head = {
    to: p.to,
    subject: emailText(p.subject, 200) || "—",
    mailbox: emailAddressText(p.mailbox, 120),
  };
  const room = LIMITS.interactiveBody - tr("confirm.body", { ...head, text: "" }).length;
  return {
    body: tr("confirm.body", { ...head, text: truncate(escapeFormatting(p.text), Math.max(room, 40)) }),
    buttons: [
      { id: `rsend:${p.draftId}`, title: tr("confirm.send") },
      { id: `rcancel:${p.draftId}`, title: tr("confirm.cancel") },
    ],
  };
}

export type ReplyOutcome =
  | "cancelled"
  | "alreadySent"
  | "alreadySending"
  | "alreadyCancelled"
  | "expired"
  | "handled"
  | "notFound"
  | "forbidden"
  | "noText"
  | "noAddress"
  | "templateGone";

export function renderReplyOutcome(locale: Locale, outcome: ReplyOutcome): RenderedReply {
  return text(t(locale)(`outcome.${outcome}`));
}

export function renderQueued(locale: Locale, to: string): RenderedReply {
  return text(t(locale)("outcome.queued", { to }));
}

export function renderTemplateUnavailable(locale: Locale, missing: string[]): RenderedReply {
  const tr = t(locale);
  return text(
    tr("outcome.templateUnavailable", { missing: missing.map((m) => tr(`missing.${m}`)).join(", ") }),
  );
}

export function renderMailboxProblem(
  locale: Locale,
  problem: "mailboxInactive" | "failedGone" | "failedScope" | "failedReconnect" | "failedError",
  mailbox: string,
): RenderedReply {
  return text(t(locale)(`outcome.${problem}`, { mailbox: emailAddressText(mailbox, 120) }));
}

/** "↩️ Réponse envoyée par Awa à 10:42". */
export function renderSent(p: { locale: Locale; timeZone: string; name: string; at: Date }): RenderedReply {
  return text(
    t(p.locale, p.timeZone)("outcome.sent", {
      name: emailText(p.name, 60),
      time: formatTime(p.at, p.locale, p.timeZone),
    }),
  );
}
