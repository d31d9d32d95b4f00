import { isLocalMode } from "@/lib/env";

/**
 * The simulated business number of local mode: the wa.me link and QR code work the same way as in
 * production, and the simulated phone "sends" the prefilled text to it.
 */
export const SANDBOX_BUSINESS_NUMBER = "+2250101010101";

/**
 * The WhatsApp number recipients write to for opt-in, or null when it is not known (then the app
 * shows the code to send, without a link).
 */
export function businessNumber(): string | null {
  return isLocalMode ? SANDBOX_BUSINESS_NUMBER : null;
}
