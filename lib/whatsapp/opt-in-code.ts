import { randomInt } from "node:crypto";

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
