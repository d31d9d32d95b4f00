import { z } from "zod";

/**
 * The Graph API version every WhatsApp call uses unless `WHATSAPP_API_VERSION` overrides it. Meta
 * supports a version for about two years; v26.0 is the newest at the time of writing.
 */
export const DEFAULT_GRAPH_API_VERSION = "v26.0";

export const GRAPH_API_BASE_URL = "https://graph.facebook.com";

export const whatsAppConfigSchema = z.object({
  /** System-user access token (Bearer). */
  accessToken: z.string().min(1),
  /** The business phone number id that sends (not the phone number itself). */
  phoneNumberId: z.string().min(1),
  /** WhatsApp Business Account id; only template management needs it. */
  businessAccountId: z.string().min(1).nullable(),
  apiVersion: z.string().regex(/^v\d+\.\d+$/, "the Graph API version looks like v26.0"),
  /** Meta app secret: the key of the webhook's X-Hub-Signature-256. */
  appSecret: z.string().min(1),
  /** The token Meta echoes when it verifies the webhook URL. */
  verifyToken: z.string().min(1),
});
export type WhatsAppConfig = z.infer<typeof whatsAppConfigSchema>;

/** Builds a config from optional pieces (as the environment gives them), applying the pinned version. */
export function whatsAppConfig(
  input: Omit<WhatsAppConfig, "apiVersion"> & { apiVersion?: string | null },
): WhatsAppConfig {
  return whatsAppConfigSchema.parse({ ...input, apiVersion: input.apiVersion || DEFAULT_GRAPH_API_VERSION });
}

export function graphUrl(apiVersion: string, ...segments: string[]): string {
  return `${GRAPH_API_BASE_URL}/${apiVersion}/${segments.map(encodeURIComponent).join("/")}`;
}
