import { env, isLocalMode } from "@/lib/env";

/**
 * The simulated business number of local mode: the wa.me link and QR code work the same way as in
 * production, and the simulated phone "sends" the prefilled text to it.
 */
export const SANDBOX_BUSINESS_NUMBER = "+2250101010101";

/**
 * The WhatsApp number recipients write to for opt-in: WHATSAPP_DISPLAY_NUMBER (required in
 * production), else the sandbox's in local mode, else null (then the app shows the code to send,
 * without a link). The parameters are for tests, which are neither production nor local mode.
 */
export function businessNumber(
  configured: string | undefined = env.WHATSAPP_DISPLAY_NUMBER,
  local: boolean = isLocalMode,
): string | null {
  return configured ?? (local ? SANDBOX_BUSINESS_NUMBER : null);
}
