import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "@/lib/mail/errors";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-12-01T10:00:00Z");

  it("reads whole and fractional delta-seconds, rounding up to the millisecond", () => {
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("2.128", now)).toBe(2128);
    expect(parseRetryAfter("2.5", now)).toBe(2500);
    expect(parseRetryAfter(" 0.0004 ", now)).toBe(1);
  });

  it("reads an HTTP date relative to now, never in the past", () => {
    expect(parseRetryAfter("Tue, 01 Dec 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Tue, 01 Dec 2026 09:00:00 GMT", now)).toBe(0);
  });

  it("returns null for what is neither", () => {
    for (const value of [null, "", "soon", "2.5.1", "-3", "1e3"])
      expect(parseRetryAfter(value, now)).toBeNull();
  });
});
