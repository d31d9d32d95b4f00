import type { EmailTransport } from "@/lib/channels/email/config";
import type { Transports } from "@/lib/channels/registry";
import { type WhatsAppConfig, whatsAppConfig } from "@/lib/channels/whatsapp/config";
import { env } from "@/lib/env";
import { linkCommandOf, signActionToken } from "@/lib/security/action-link";

/** The Cloud API configuration, or null: without a token and phone number id alerts go to the outbox. */
export function whatsAppFromEnv(): WhatsAppConfig | null {
  if (!env.WHATSAPP_ACCESS_TOKEN || !env.WHATSAPP_PHONE_NUMBER_ID) return null;
  return whatsAppConfig({
    accessToken: env.WHATSAPP_ACCESS_TOKEN,
    phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID,
    businessAccountId: env.WHATSAPP_BUSINESS_ACCOUNT_ID ?? null,
    apiVersion: env.WHATSAPP_API_VERSION,
    appSecret: env.WHATSAPP_APP_SECRET,
    verifyToken: env.WHATSAPP_VERIFY_TOKEN,
  });
}

/** Where an e-mail's action link points: the confirmation form of /api/email/action. */
export function actionUrl(token: string, appUrl = env.APP_URL): string {
  return `${appUrl.replace(/\/$/, "")}/api/email/action?t=${encodeURIComponent(token)}`;
}

/** The signed links of the e-mail channel, built with the app's key and public URL. */
export const emailLinks: Pick<EmailTransport, "link" | "unsubscribe"> = {
  async link(buttonId, alertId) {
    const command = linkCommandOf(buttonId);
    return command ? actionUrl(await signActionToken({ alertId, command })) : null;
  },
  async unsubscribe(alertId) {
    return actionUrl(await signActionToken({ alertId, command: "stop" }));
  },
};

/** The SMTP server of the e-mail channel, or null: without SMTP_HOST e-mail alerts go to the outbox. */
export function emailFromEnv(): EmailTransport | null {
  if (!env.SMTP_HOST || !env.SMTP_FROM) return null;
  const port = env.SMTP_PORT ?? 587;
  return {
    smtp: {
      host: env.SMTP_HOST,
      port,
      secure: env.SMTP_SECURE ? env.SMTP_SECURE === "true" : port === 465,
      auth: env.SMTP_USER && env.SMTP_PASSWORD ? { user: env.SMTP_USER, pass: env.SMTP_PASSWORD } : null,
      from: { address: env.SMTP_FROM, name: env.SMTP_FROM_NAME ?? "FluxAsync" },
    },
    ...emailLinks,
  };
}

/** Every channel's transport from the environment; a null one keeps that channel's messages in the outbox. */
export function transportsFromEnv(): Transports {
  return { whatsapp: whatsAppFromEnv(), email: emailFromEnv() };
}
