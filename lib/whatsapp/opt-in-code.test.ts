import { describe, expect, it } from "vitest";
import { generateOptInCode, normalizeOptInCode } from "@/lib/whatsapp/opt-in-code";

describe("opt-in codes", () => {
  it("generates 6-digit codes, leading zeros included, that differ", () => {
    const codes = Array.from({ length: 200 }, generateOptInCode);
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });

  it("reads every written form of a code alike, and nothing else", () => {
    expect(normalizeOptInCode("FLUX-012345")).toBe("012345");
    expect(normalizeOptInCode(" flux 012 345 ")).toBe("012345");
    expect(normalizeOptInCode("12345")).toBeNull();
    expect(normalizeOptInCode("abcdef")).toBeNull();
  });
});
