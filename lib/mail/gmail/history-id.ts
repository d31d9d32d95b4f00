import { z } from "zod";

/**
 * Gmail history ids are unsigned 64-bit decimals. We keep them as canonical decimal strings (no
 * float rounding) and compare them as BigInt.
 */
export const historyIdSchema = z
  .union([
    z
      .string()
      .trim()
      .regex(/^\d{1,20}$/, "historyId must be decimal digits"),
    z.number().int().nonnegative(),
  ])
  .refine((v) => typeof v === "string" || Number.isSafeInteger(v), "historyId is beyond exact number range")
  .transform((v) => BigInt(v).toString());

/** Negative, zero or positive like a comparator; for "the highest hinted historyId wins". */
export function compareHistoryIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function maxHistoryId(a: string, b: string): string {
  return compareHistoryIds(a, b) >= 0 ? a : b;
}
