import { describe, expect, it } from "vitest";
import { cleanBodyText, cleanHeaderText, wellFormed } from "@/lib/mail/clean-text";

describe("text cleaned at the mail boundary", () => {
  it("removes NUL and other controls; bodies keep their lines, headers become one line", () => {
    expect(cleanBodyText("Montant\u0000 : 5 000\u0007 FCFA\r\nÀ payer\taujourd’hui\u001B[31m")).toBe(
      "Montant : 5 000 FCFA\nÀ payer\taujourd’hui[31m",
    );
    expect(cleanHeaderText("Contrat\u0000 signé\r\n\tà renvoyer\u0085")).toBe("Contrat signé à renvoyer");
    expect(JSON.stringify(cleanHeaderText("a\u0000b"))).not.toContain("\\u0000");
  });

  it("replaces lone surrogates, keeps real pairs", () => {
    expect(wellFormed("ok\uD800 and \uDC00 but 😀")).toBe("ok\uFFFD and \uFFFD but 😀");
    expect(cleanHeaderText("\uD83D")).toBe("\uFFFD");
    // What a well-formed string must survive: encodeURIComponent throws on a lone surrogate.
    expect(() => encodeURIComponent(cleanBodyText("x\uDBFFy"))).not.toThrow();
  });

  it("strips bidi overrides that would flip a sender name, and invisible characters", () => {
    expect(cleanHeaderText("Facture \u202Efdp.exe")).toBe("Facture fdp.exe");
    expect(cleanHeaderText("Ba\u200Bnque \u2066Atlantique\u2069")).toBe("Banque Atlantique");
  });

  it("bounds one-line fields without cutting a character in half", () => {
    expect(cleanHeaderText("x".repeat(5000))).toHaveLength(998);
    const emoji = cleanHeaderText("😀".repeat(600), 11);
    expect(emoji).toBe("😀".repeat(5));
    expect(wellFormed(emoji)).toBe(emoji);
  });
});
