import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { WhatsAppBubble } from "@/app/_components/whatsapp-bubble";
import { renderAlert } from "@/lib/channels/whatsapp/render-alert";

describe("WhatsAppBubble", () => {
  it("shows a rendered alert as WhatsApp does: bold headline, escaped email text, one line per line", () => {
    const alert = renderAlert(
      {
        locale: "fr",
        timeZone: "Africa/Abidjan",
        priority: "critical",
        subject: "*URGENT* <script>alert(1)</script>",
        fromName: null,
        fromAddress: "client@banque.ci",
        summary: "_Signez_ vite",
        deadline: null,
        amounts: [{ value: 15_000_000, currency: "XOF" }],
        suggestedAction: { kind: "sign", phrase: "signer" },
        fraudWarning: null,
        autoActions: [],
        analyzer: "gemini",
        alertId: "a1",
      },
      new Date("2026-11-23T10:00:00Z"),
    );
    const html = renderToStaticMarkup(<WhatsAppBubble body={alert.body} label="Alerte" />);
    expect(html).toContain("<strong>Critique</strong>");
    // The subject's own asterisks and underscores were escaped by the renderer: no formatting from email text.
    expect(html).not.toContain("<strong>URGENT</strong>");
    expect(html).not.toContain("<em>Signez</em>");
    // Markup inside an email is text, never HTML.
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html.match(/<br\/>/g)?.length).toBe(alert.body.split("\n").length - 1);
  });

  it("renders italic, strike-through and monospace, and the reply buttons under the bubble", () => {
    const html = renderToStaticMarkup(
      <WhatsAppBubble body={"_a_ ~b~ ```c```"} buttons={<span className="wa-button">✅ Traité</span>} />,
    );
    expect(html).toContain("<em>a</em> <s>b</s> <code>c</code>");
    expect(html).toMatch(
      /<\/article><div class="wa-buttons"><span class="wa-button">✅ Traité<\/span><\/div>/,
    );
  });
});
