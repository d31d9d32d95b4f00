import { describe, expect, it } from "vitest";
import { parseWhatsAppMarkup } from "@/app/_lib/whatsapp-markup";
import { escapeFormatting } from "@/lib/channels/whatsapp/escape";

describe("parseWhatsAppMarkup", () => {
  it("renders *bold* inside a headline", () => {
    expect(parseWhatsAppMarkup("🔴 *Critique* — Contrat")).toEqual([
      [
        { kind: "text", text: "🔴 " },
        { kind: "bold", children: [{ kind: "text", text: "Critique" }] },
        { kind: "text", text: " — Contrat" },
      ],
    ]);
  });

  it("renders _italic_, ~strike~, ```mono``` and nested styles", () => {
    expect(parseWhatsAppMarkup("_a_ ~b~ ```c d``` *_e_*")).toEqual([
      [
        { kind: "italic", children: [{ kind: "text", text: "a" }] },
        { kind: "text", text: " " },
        { kind: "strike", children: [{ kind: "text", text: "b" }] },
        { kind: "text", text: " " },
        { kind: "mono", text: "c d" },
        { kind: "text", text: " " },
        { kind: "bold", children: [{ kind: "italic", children: [{ kind: "text", text: "e" }] }] },
      ],
    ]);
  });

  it("keeps markers that WhatsApp would not format as text", () => {
    expect(parseWhatsAppMarkup("2 * 3 * 4")).toEqual([[{ kind: "text", text: "2 * 3 * 4" }]]);
    expect(parseWhatsAppMarkup("a*b*c")).toEqual([[{ kind: "text", text: "a*b*c" }]]);
    expect(parseWhatsAppMarkup("*open only")).toEqual([[{ kind: "text", text: "*open only" }]]);
    expect(parseWhatsAppMarkup("snake_case_name")).toEqual([[{ kind: "text", text: "snake_case_name" }]]);
  });

  it("never formats across lines", () => {
    expect(parseWhatsAppMarkup("*a\nb*")).toEqual([
      [{ kind: "text", text: "*a" }],
      [{ kind: "text", text: "b*" }],
    ]);
  });

  it("shows email text escaped by the alert renderer literally", () => {
    const escaped = escapeFormatting("*URGENT* _now_");
    const lines = parseWhatsAppMarkup(`De : ${escaped}`);
    expect(lines).toEqual([[{ kind: "text", text: `De : ${escaped}` }]]);
    expect(escaped).not.toContain("*");
  });

  it("keeps HTML-looking text as plain text (React escapes it)", () => {
    expect(parseWhatsAppMarkup("<b>x</b>")).toEqual([[{ kind: "text", text: "<b>x</b>" }]]);
  });
});
