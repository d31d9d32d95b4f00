import { formatOptInCode } from "@/lib/channels/whatsapp/commands";
import { toWaId } from "@/lib/channels/whatsapp/wa-id";
import { type Locale, translator } from "@/lib/i18n/catalogue";

/**
 * The `wa.me` link shown in the app: it opens a chat with our business number with the opt-in
 * sentence prefilled, so the recipient only taps send (which also opens the 24 h window).
 */
export function optInLink(params: { businessNumber: string; code: string; locale: Locale }): string {
  const text = translator(params.locale, "whatsapp")("reply.optInPrefill", {
    code: formatOptInCode(params.code),
  });
  return `https://wa.me/${toWaId(params.businessNumber)}?text=${encodeURIComponent(text)}`;
}
