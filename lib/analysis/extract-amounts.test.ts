import { describe, expect, it } from "vitest";
import { extractAmounts, largestInXof } from "@/lib/analysis/extract-amounts";

describe("extractAmounts", () => {
  it.each([
    ["Contrat de 15M FCFA à signer", 15_000_000, "XOF"],
    ["un montant de 1 250 000 F CFA", 1_250_000, "XOF"],
    ["Montant : XOF 3.000.000", 3_000_000, "XOF"],
    ["un marché de 12,5 milliards de francs CFA", 12_500_000_000, "XOF"],
    ["le devis de 2,5 millions FCFA", 2_500_000, "XOF"],
    ["3 millions de FCFA", 3_000_000, "XOF"],
    ["avance de 500k FCFA", 500_000, "XOF"],
    ["frais de 500 000 F.", 500_000, "XOF"],
    ["caution de 1,5 Md FCFA", 1_500_000_000, "XOF"],
    ["facture 4\u202f500\u202f000 FCFA", 4_500_000, "XOF"],
    ["25.000 XAF à Douala", 25_000, "XAF"],
    ["Invoice total: $2,500", 2_500, "USD"],
    ["Series A of USD 2.5M", 2_500_000, "USD"],
    ["Montant EUR 10.000,50", 10_000.5, "EUR"],
    ["10 000,50 € TTC", 10_000.5, "EUR"],
    ["€10,000.50 incl. VAT", 10_000.5, "EUR"],
    ["₦450,000 for logistics", 450_000, "NGN"],
    ["GHS 12,000.00 due", 12_000, "GHS"],
  ])("%s", (text, value, currency) => {
    expect(extractAmounts(text)).toEqual([{ value, currency }]);
  });

  it("ignores numbers that are not money: dates, invoice numbers, phone numbers, building letters", () => {
    expect(extractAmounts("Facture 2026-0412 du 5 novembre, tél. 07 07 12 34 56, bâtiment F, 2 F")).toEqual(
      [],
    );
  });

  it("keeps distinct amounts in order and drops repeats", () => {
    expect(extractAmounts("2 350 000 FCFA puis 500 000 FCFA par jour ; rappel : 2 350 000 FCFA")).toEqual([
      { value: 2_350_000, currency: "XOF" },
      { value: 500_000, currency: "XOF" },
    ]);
  });

  it("compares sizes in XOF so a euro contract outweighs a small FCFA fee", () => {
    expect(
      largestInXof([
        { value: 10_000, currency: "EUR" },
        { value: 500_000, currency: "XOF" },
      ]),
    ).toBeCloseTo(6_559_570);
  });
});
