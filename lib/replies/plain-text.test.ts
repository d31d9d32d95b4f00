import { describe, expect, it } from "vitest";
import { plainTextToHtml, whatsAppToPlainText } from "@/lib/replies/plain-text";

describe("whatsAppToPlainText", () => {
  it("drops WhatsApp's markup and keeps emoji and line breaks", () => {
    expect(whatsAppToPlainText("*Bien reçu* 👍\n_je rappelle_ ~demain~ à ```17h```")).toBe(
      "Bien reçu 👍\nje rappelle demain à 17h",
    );
  });

  it("leaves lone markers and arithmetic alone", () => {
    expect(whatsAppToPlainText("2*3 = 6 et file_name_v2")).toBe("2*3 = 6 et file_name_v2");
  });

  it("removes controls and direction marks, trims blank lines", () => {
    expect(whatsAppToPlainText("\n\n\u202EOK\u0007 merci\n\n\n\nAwa\n")).toBe("OK merci\n\nAwa");
  });
});

describe("plainTextToHtml", () => {
  it("escapes markup and keeps line breaks", () => {
    expect(plainTextToHtml('<b>"Prix" & co</b>\nMerci')).toBe(
      "&lt;b&gt;&quot;Prix&quot; &amp; co&lt;/b&gt;<br>Merci",
    );
  });
});
