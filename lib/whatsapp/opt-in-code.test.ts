import { describe, expect, it } from "vitest";
import { generateOptInCode, hashOptInCode, normalizeOptInCode } from "@/lib/whatsapp/opt-in-code";

describe("opt-in codes", () => {
  it("generates 6-digit codes, leading zeros included, that differ", () => {
    const codes = Array.from({ length: 200 }, generateOptInCode);
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });

  it("hashes every written form of a code alike, and nothing else", () => {
    const hash = hashOptInCode("012345");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOptInCode("FLUX-012345")).toBe(hash);
    expect(hashOptInCode(" flux 012 345 ")).toBe(hash);
    expect(hashOptInCode("012346")).not.toBe(hash);
    expect(normalizeOptInCode("12345")).toBeNull();
    expect(() => hashOptInCode("abcdef")).toThrow();
  });
});
