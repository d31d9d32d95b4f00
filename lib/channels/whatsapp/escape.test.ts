import { describe, expect, it } from "vitest";
import {
  defangLinks,
  emailAddressText,
  emailText,
  escapeFormatting,
  fileLineText,
  truncate,
} from "@/lib/channels/whatsapp/escape";

describe("escapeFormatting", () => {
  it("replaces every WhatsApp markup character with a look-alike", () => {
    expect(escapeFormatting("*gras* _italique_ ~barré~ `code` ```mono```")).toBe(
      "∗gras∗ ˍitaliqueˍ ∼barré∼ ˋcodeˋ ˋˋˋmonoˋˋˋ",
    );
  });

  it("neutralises quote and list markers at a line start only", () => {
    expect(escapeFormatting("> cité\n- puce\n12. liste\na > b - c 1. d")).toBe(
      "› cité\n‐ puce\n12․ liste\na > b - c 1. d",
    );
  });
});

describe("defangLinks", () => {
  it.each([
    ["https://banque.ci/login", "banque[.]ci/login"],
    ["HTTP://Evil.COM/a.b", "Evil[.]COM/a[.]b"],
    ["voir www.exemple.org.", "voir www[.]exemple[.]org[.]"],
    ["(x.ci)", "(x[.]ci)"],
    ["écrire à paie@banque-ci.com", "écrire à paie@banque-ci[.]com"],
    ["http://10.0.0.1:8080/pay", "10[.]0[.]0[.]1:8080/pay"],
    ["ftp://files.example.net", "files[.]example[.]net"],
  ])("%s → %s", (input, expected) => {
    expect(defangLinks(input)).toBe(expected);
  });

  it("leaves amounts, versions and sentences alone", () => {
    expect(defangLinks("15.000.000 FCFA, v2.1, fin. Début")).toBe("15.000.000 FCFA, v2.1, fin. Début");
  });

  it("stays fast on a pathological input", () => {
    const started = performance.now();
    defangLinks("a.".repeat(50_000));
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe("truncate", () => {
  it("keeps text within the limit", () => {
    expect(truncate("abc", 3)).toBe("abc");
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("ab  cdef", 4)).toBe("ab…");
  });

  it("never cuts inside an emoji, a flag or an accented letter", () => {
    expect(truncate("ab🇨🇮🇨🇮", 6)).toBe("ab…"); // a flag is 4 UTF-16 units
    expect(truncate("ab🇨🇮🇨🇮", 7)).toBe("ab🇨🇮…");
    expect(truncate("e\u0301e\u0301e\u0301", 4)).toBe("e\u0301…");
  });
});

describe("emailText", () => {
  it("collapses lines, strips bidi tricks, defangs and escapes, within the budget", () => {
    expect(emailText("  *Paiement*\n\nhttps://x.ci\u202E  ", 100)).toBe("∗Paiement∗ x[.]ci");
    expect(emailText("x".repeat(50), 10)).toBe(`${"x".repeat(9)}…`);
  });

  it("keeps emoji joined", () => {
    expect(emailText("Famille 👨‍👩‍👧 ok", 50)).toBe("Famille 👨‍👩‍👧 ok");
  });
});

describe("emailAddressText", () => {
  it("keeps the address readable but escapes markup", () => {
    expect(emailAddressText("jean_paul@banque.ci", 100)).toBe("jeanˍpaul@banque.ci");
  });
});

describe("fileLineText", () => {
  it("keeps a document's extension readable, and still defangs hosts and markup in the sender's file names", () => {
    expect(fileLineText("📎 Facture FA-2291.pdf : 4 500 000 FCFA", 140)).toBe(
      "📎 Facture FA-2291.pdf : 4 500 000 FCFA",
    );
    expect(fileLineText("📎 paiement.example.com.pdf : rien", 140)).toBe(
      "📎 paiement[.]example[.]com.pdf : rien",
    );
    expect(fileLineText("📎 https://evil.ci/x.pdf : rien", 140)).toBe("📎 evil[.]ci/x.pdf : rien");
    expect(fileLineText("📎 banque.ci : rien", 140)).toBe("📎 banque[.]ci : rien");
    expect(fileLineText("📎 *urgent*_.docx", 140)).toBe("📎 ∗urgent∗ˍ.docx");
  });
});
