import type { Transports } from "@/lib/channels/registry";
import { type WhatsAppConfig, whatsAppConfig } from "@/lib/channels/whatsapp/config";
import { env } from "@/lib/env";

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

/** Every channel's transport from the environment; a null one keeps that channel's messages in the outbox. */
export function transportsFromEnv(): Transports {
  return { whatsapp: whatsAppFromEnv() };
}
