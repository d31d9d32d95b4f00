import type { AlertAction } from "@/lib/channels/channel";
import { type Locale, translator } from "@/lib/i18n/catalogue";

const TITLE_KEY: Record<AlertAction, string> = {
  done: "button.done",
  snooze: "button.snooze",
  reply: "button.reply",
  mute: "button.mute",
};

/**
 * An alert's buttons for the actions its channel offers (Channel.alertActions): `<action>:<alertId>`,
 * the ids every inbound path reads (WhatsApp button replies, signed e-mail links, the outbox).
 */
export function alertButtons(
  actions: readonly AlertAction[],
  locale: Locale,
  alertId: string,
): { id: string; title: string }[] {
  const t = translator(locale, "whatsapp");
  return actions.map((action) => ({ id: `${action}:${alertId}`, title: t(TITLE_KEY[action]) }));
}
