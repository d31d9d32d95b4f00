import { formatTime } from "@/lib/channels/format-values";
import { LIMITS } from "@/lib/channels/whatsapp/api";
import { emailText, truncate } from "@/lib/channels/whatsapp/escape";
import type { RenderedNotice } from "@/lib/channels/whatsapp/render-notices";
import { addresseeText } from "@/lib/channels/whatsapp/render-reply-flow";
import { type Locale, translator } from "@/lib/i18n/catalogue";

/**
 * What the other recipients of an alert are told once its email was answered: "↩️ Réponse
 * envoyée par Awa à 10:42 à Koffi Yao <koffi@client.ci>", or that a pre-approved automatic reply
 * went out. In the recipient's language and time zone; `templateParams` fills the notice template
 * outside their 24 h window. Never the reply's text (we keep none).
 */
export function renderReplyTold(p: {
  locale: Locale;
  timeZone: string;
  /** Who answered from WhatsApp; null for an automatic reply. */
  by: string | null;
  /** The automatic rule's template title. */
  template: string | null;
  toName: string | null;
  toAddress: string;
  subject: string | null;
  at: Date;
}): RenderedNotice {
  const tr = translator(p.locale, "replies", p.timeZone);
  const values = {
    name: emailText(p.by ?? "", 60),
    time: formatTime(p.at, p.locale, p.timeZone),
    to: addresseeText(p.toName, p.toAddress),
    subject: emailText(p.subject ?? "", 120) || "—",
    template: emailText(p.template ?? "", 24),
  };
  const auto = p.by === null;
  return {
    body: truncate(tr(auto ? "told.auto" : "told.byRecipient", values), LIMITS.textBody),
    templateParams: [tr(auto ? "told.autoShort" : "told.byRecipientShort", values)],
  };
}
