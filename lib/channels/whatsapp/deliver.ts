import type { RenderedMessage } from "@/lib/channels/rendered";
import {
  sendInteractiveButtons,
  sendInteractiveList,
  sendTemplate,
  sendText,
} from "@/lib/channels/whatsapp/api";
import type { WhatsAppConfig } from "@/lib/channels/whatsapp/config";
import { WindowClosedError } from "@/lib/channels/whatsapp/errors";
import {
  alertTemplateMessage,
  digestTemplateMessage,
  noticeTemplateMessage,
  type TemplateMessage,
} from "@/lib/channels/whatsapp/templates";
import type { Locale } from "@/lib/i18n/catalogue";

export type Delivery = "interactive" | "template" | "text";
export type Delivered = { wamid: string; delivery: Delivery };

type Params = {
  to: string;
  alertId: string;
  locale: Locale;
  rendered: RenderedMessage;
  /** Outside the 24 h window, or a 131047 status said so. */
  useTemplate: boolean;
  timeoutMs?: number;
};

function templateMessage(p: Params, template: NonNullable<RenderedMessage["template"]>): TemplateMessage {
  const base = { locale: p.locale, templateParams: template.params };
  if (template.kind === "alert") return alertTemplateMessage({ ...base, alertId: p.alertId });
  return template.kind === "digest" ? digestTemplateMessage(base) : noticeTemplateMessage(base);
}

async function viaTemplate(
  config: WhatsAppConfig,
  p: Params,
  template: NonNullable<RenderedMessage["template"]>,
) {
  const message = templateMessage(p, template);
  const sent = await sendTemplate(
    config,
    { to: p.to, alertId: p.alertId, ...message },
    { timeoutMs: p.timeoutMs },
  );
  return { wamid: sent.wamid, delivery: "template" as const };
}

async function freeForm(config: WhatsAppConfig, p: Params): Promise<Delivered> {
  const common = { to: p.to, alertId: p.alertId, body: p.rendered.body };
  const options = { timeoutMs: p.timeoutMs };
  if (p.rendered.list) {
    const sent = await sendInteractiveList(config, { ...common, ...p.rendered.list }, options);
    return { wamid: sent.wamid, delivery: "interactive" };
  }
  if (p.rendered.buttons.length > 0) {
    const sent = await sendInteractiveButtons(config, { ...common, buttons: p.rendered.buttons }, options);
    return { wamid: sent.wamid, delivery: "interactive" };
  }
  const sent = await sendText(config, common, options);
  return { wamid: sent.wamid, delivery: "text" };
}

/**
 * One Cloud API send: reply buttons (or text) inside the window, the approved template outside it.
 * A 131047 answer means nothing was sent, so the template goes out at once. Messages without a
 * template (replies) are always sent free-form: they answer what the recipient just wrote.
 */
export async function deliver(config: WhatsAppConfig, p: Params): Promise<Delivered> {
  const template = p.rendered.template;
  if (p.useTemplate && template) return viaTemplate(config, p, template);
  try {
    return await freeForm(config, p);
  } catch (error) {
    if (error instanceof WindowClosedError && template) return viaTemplate(config, p, template);
    throw error;
  }
}
