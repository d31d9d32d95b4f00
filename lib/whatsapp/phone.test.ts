import { describe, expect, it } from "vitest";
import { formatPhone, isE164, normalizePhone, phoneSchema } from "@/lib/domain/phone";
import { fromWaId, toWaId } from "@/lib/whatsapp/phone";

describe("normalizePhone", () => {
  it.each([
    ["+225 07 07 12 34 56", "+2250707123456"], // Côte d'Ivoire, 10 digits since 2021
    ["07 07 12 34 56", "+2250707123456"], // national input, default region CI
    ["00225 0707123456", "+2250707123456"],
    ["+225 01 23 45 67 89", "+2250123456789"],
    ["+221 77 123 45 67", "+221771234567"], // Senegal
    ["+223 76 12 34 56", "+22376123456"], // Mali
    ["+226 70 12 34 56", "+22670123456"], // Burkina Faso
    ["+229 01 97 12 34 56", "+2290197123456"], // Benin, 10 digits since 2024
    ["+33 6 12 34 56 78", "+33612345678"], // France
  ])("%s → %s", (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    ["+225 07 07 12"], // too short
    ["+225 07 07 12 34"], // the old 8-digit Ivorian format
    ["+229 97 12 34 56"], // the old 8-digit Beninese format
    ["12345"],
    ["bonjour"],
    [""],
  ])("rejects %s", (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  it("reads national input in another region when asked", () => {
    expect(normalizePhone("77 123 45 67", "SN")).toBe("+221771234567");
  });
});

describe("phone helpers", () => {
  it("validates through the zod schema with a helpful message", () => {
    expect(phoneSchema.parse("0707123456")).toBe("+2250707123456");
    const bad = phoneSchema.safeParse("0707");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/international format/);
  });

  it("converts between E.164 and WhatsApp ids", () => {
    expect(toWaId("+2250707123456")).toBe("2250707123456");
    expect(() => toWaId("0707123456")).toThrow();
    expect(fromWaId("2250707123456")).toBe("+2250707123456");
  });

  it("recognises E.164 and formats for people", () => {
    expect(isE164("+2250707123456")).toBe(true);
    expect(isE164("2250707123456")).toBe(false);
    expect(isE164("+225 07 07 12 34 56")).toBe(false);
    // Grouping as libphonenumber's metadata writes Ivorian numbers.
    expect(formatPhone("+2250707123456")).toBe("+225 07 07 12 3456");
    expect(formatPhone("not a number")).toBe("not a number");
  });
});
