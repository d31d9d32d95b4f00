import { createHash, randomInt } from "node:crypto";

/** Opt-in codes are 6 digits, shown as "FLUX-123456" (see formatOptInCode). */
export const OPT_IN_CODE_DIGITS = 6;

/** The 6 digits of a code however it was typed ("FLUX-123 456", " 123456 "), or null. */
export function normalizeOptInCode(input: string): string | null {
  const digits = input.replace(/^\s*FLUX[-\s]?/i, "").replace(/[\s-]/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** A new code from the CSPRNG, leading zeros kept. */
export function generateOptInCode(): string {
  return String(randomInt(0, 10 ** OPT_IN_CODE_DIGITS)).padStart(OPT_IN_CODE_DIGITS, "0");
}

/**
 * What the database keeps (recipients.opt_in_code_hash): sha256 of the normalised digits. A code is
 * short-lived and attempts are rate-limited in SQL, so an unsalted hash is enough to keep the code
 * itself out of the database; the same function serves the app and the WhatsApp webhook.
 */
export function hashOptInCode(code: string): string {
  const digits = normalizeOptInCode(code);
  if (!digits) throw new Error("An opt-in code is 6 digits");
  return createHash("sha256").update(digits).digest("hex");
}
