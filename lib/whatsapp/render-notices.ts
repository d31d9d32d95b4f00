import { formatPhone } from "@/lib/domain/phone";
import { type Locale, translator } from "@/lib/i18n/catalogue";
import { emailAddressText, emailText } from "@/lib/whatsapp/escape";

/**
 * Notices to the account owner about something only they can fix. `templateParams` fills the
 * `fluxasync_notice` template when the owner is outside the 24 h window.
 */
export type RenderedNotice = { body: string; templateParams: string[] };

/** Our own app link (not from an email), so it is left clickable. */
function withAppLink(body: string, t: ReturnType<typeof translator>, appUrl?: string | null): string {
  return appUrl ? `${body}\n${t("notice.openApp", { url: appUrl })}` : body;
}

/** A mailbox whose access was revoked or expired: no alert arrives for it until it is reconnected. */
export function renderMailboxReconnectNotice(params: {
  locale: Locale;
  mailbox: string;
  appUrl?: string | null;
}): RenderedNotice {
  const t = translator(params.locale, "whatsapp");
  const mailbox = emailAddressText(params.mailbox, 120);
  return {
    body: withAppLink(t("notice.mailboxReconnect", { mailbox }), t, params.appUrl),
    templateParams: [t("notice.mailboxReconnectShort", { mailbox })],
  };
}

/** A recipient's number that WhatsApp reported undeliverable (131026). */
export function renderRecipientUndeliverableNotice(params: {
  locale: Locale;
  recipientName: string;
  phone: string;
  appUrl?: string | null;
}): RenderedNotice {
  const t = translator(params.locale, "whatsapp");
  const values = { name: emailText(params.recipientName, 60), phone: formatPhone(params.phone) };
  return {
    body: withAppLink(t("notice.recipientUndeliverable", values), t, params.appUrl),
    templateParams: [t("notice.recipientUndeliverableShort", values)],
  };
}
