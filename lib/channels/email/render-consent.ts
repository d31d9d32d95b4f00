import type { RenderedMessage } from "@/lib/channels/rendered";
import { type Locale, translator } from "@/lib/i18n/catalogue";

/** The dedupe key of a recipient's consent request: sent once; the only message a pending address gets. */
export const consentKey = (recipientId: string) => `consent:${recipientId}`;

/**
 * The double opt-in e-mail: who wants to write to this address, and the one link that accepts.
 * Its first line is the subject (lib/channels/email/render.ts takes the first line).
 */
export function renderConsentRequest(p: {
  locale: Locale;
  name: string;
  organization: string;
}): RenderedMessage {
  const t = translator(p.locale, "email");
  return {
    body: `${t("confirm.subject")}\n\n${t("confirm.body", { name: p.name, organization: p.organization })}`,
    buttons: [{ id: "start:consent", title: t("confirm.button") }],
    template: null,
  };
}
