import { describe, expect, it } from "vitest";
import { businessNumber, SANDBOX_BUSINESS_NUMBER } from "@/app/_lib/business-number";
import { optInLink } from "@/lib/channels/whatsapp/opt-in-link";

describe("the business number of the opt-in link", () => {
  it("is WHATSAPP_DISPLAY_NUMBER when set, in local mode too", () => {
    expect(businessNumber("+2250102030405", false)).toBe("+2250102030405");
    expect(businessNumber("+2250102030405", true)).toBe("+2250102030405");
  });

  it("falls back to the sandbox number in local mode only", () => {
    expect(businessNumber(undefined, true)).toBe(SANDBOX_BUSINESS_NUMBER);
    expect(businessNumber(undefined, false)).toBeNull();
  });

  it("gives production a wa.me link to the configured number", () => {
    const number = businessNumber("+2250102030405", false);
    expect(optInLink({ businessNumber: number!, code: "123456", locale: "fr" })).toMatch(
      /^https:\/\/wa\.me\/2250102030405\?text=.*FLUX-123456/,
    );
  });
});
