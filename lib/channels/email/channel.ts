import { z } from "zod";
import type { Channel } from "@/lib/channels/channel";
import { sendMail } from "@/lib/channels/email/api";
import type { EmailTransport } from "@/lib/channels/email/config";
import { type ButtonLink, renderEmail } from "@/lib/channels/email/render";

const emailAddress = z.email().max(254);

/**
 * E-mail over SMTP behind the channel seam: any address, consent by a confirmation link (double
 * opt-in), no delivery window, the alert's buttons as signed links to a web form.
 */
export const emailChannel: Channel<EmailTransport> = {
  name: "email",
  // Answering goes through WhatsApp's reply flow: an e-mail recipient answers from their own mail
  // client, and gets the action that button displaced on WhatsApp (ignore the sender).
  alertActions: ["done", "snooze", "mute"],
  address: {
    kind: "email",
    parse: (input) => {
      const parsed = emailAddress.safeParse(input.trim().toLowerCase());
      return parsed.success ? parsed.data : null;
    },
  },
  optIn: "confirmation-link",
  window: () => "none",
  async send(transport, request) {
    const links: ButtonLink[] = [];
    for (const button of request.rendered.buttons) {
      const url = await transport.link(button.id, request.alertId);
      if (url) links.push({ title: button.title, url });
    }
    const unsubscribeUrl = await transport.unsubscribe(request.alertId);
    const content = renderEmail(request.rendered, links, unsubscribeUrl, request.locale);
    return sendMail(
      transport.smtp,
      { ...content, to: request.to, alertId: request.alertId, unsubscribeUrl },
      { timeoutMs: request.timeoutMs },
    );
  },
};
