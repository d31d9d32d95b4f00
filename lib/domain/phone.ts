import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { z } from "zod";

/**
 * Numbers are stored and compared in E.164 with a leading `+`. The `max` metadata is used because
 * it knows each country's exact number ranges (Côte d'Ivoire moved to 10 digits in 2021, Benin in
 * 2024): the smaller metadata only checks lengths and would accept numbers that cannot exist.
 */
export const DEFAULT_PHONE_REGION: CountryCode = "CI";

/** E.164 (`+` then up to 15 digits), or null when the input is not a valid number. */
export function normalizePhone(
  input: string,
  defaultRegion: CountryCode = DEFAULT_PHONE_REGION,
): string | null {
  const trimmed = input.trim();
  // "00225…" is how numbers are often written in West Africa; libphonenumber wants "+".
  const candidate = trimmed.startsWith("00") ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(candidate, defaultRegion);
  if (!parsed?.isValid()) return null;
  return parsed.number;
}

export function isE164(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value) && normalizePhone(value) === value;
}

/** Accepts any written form (national in the default region, spaces, 00 prefix) and outputs E.164. */
export const phoneSchema = z.string().transform((value, ctx) => {
  const e164 = normalizePhone(value);
  if (e164 === null) {
    ctx.addIssue({
      code: "custom",
      message: "Not a valid phone number (use the international format, e.g. +225 07 07 12 34 56)",
    });
    return z.NEVER;
  }
  return e164;
});

/** International format for people ("+225 07 07 12 34 56"); the input as-is when it cannot be parsed. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
