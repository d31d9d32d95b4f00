import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashOptInCode, keyedHash } from "@/lib/security/keyed-hash";

describe("keyed hashes", () => {
  it("hashes every written form of an opt-in code alike, and nothing else", () => {
    const hash = hashOptInCode("012345");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOptInCode("FLUX-012345")).toBe(hash);
    expect(hashOptInCode(" flux 012 345 ")).toBe(hash);
    expect(hashOptInCode("012346")).not.toBe(hash);
    expect(() => hashOptInCode("abcdef")).toThrow();
  });

  it("is keyed: not the plain sha256 of the digits, and different for each purpose", () => {
    expect(hashOptInCode("012345")).not.toBe(createHash("sha256").update("012345").digest("hex"));
    expect(keyedHash("opt-in-code", "012345")).toBe(hashOptInCode("012345"));
    expect(keyedHash("phone", "012345")).not.toBe(keyedHash("opt-in-code", "012345"));
  });
});
