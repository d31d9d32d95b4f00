import { describe, expect, it } from "vitest";
import { formatOptInCode, interpretInbound } from "@/lib/channels/whatsapp/commands";
import { optInLink } from "@/lib/channels/whatsapp/opt-in-link";

const text = (t: string | null) => interpretInbound({ text: t, buttonId: null });

describe("interpretInbound", () => {
  it("reads reply-button ids and template payloads", () => {
    expect(interpretInbound({ text: "✅ Traité", buttonId: "done:alert-1" })).toEqual({
      kind: "done",
      alertId: "alert-1",
    });
    expect(interpretInbound({ text: null, buttonId: "snooze:alert-1" })).toEqual({
      kind: "snooze",
      alertId: "alert-1",
    });
    expect(interpretInbound({ text: "Ignorer l’expéditeur", buttonId: "mute:alert-1" })).toEqual({
      kind: "mute",
      alertId: "alert-1",
    });
    expect(interpretInbound({ text: "↩️ Annuler", buttonId: "unmute:rule-9" })).toEqual({
      kind: "unmute",
      ruleId: "rule-9",
    });
  });

  it("falls back to the text when a payload is not ours (Meta sends the button text)", () => {
    expect(interpretInbound({ text: "Stop", buttonId: "Stop" })).toEqual({ kind: "stop" });
    expect(interpretInbound({ text: "Traité", buttonId: "Traité" })).toEqual({ kind: "help" });
    expect(interpretInbound({ text: null, buttonId: "done:" })).toEqual({ kind: "help" });
  });

  it.each([
    ["aide", "help"],
    ["AIDE", "help"],
    ["Help!", "help"],
    ["résumé", "digest"],
    ["RESUME", "digest"],
    ["Résumé ?", "digest"],
    ["digest", "digest"],
    ["summary", "digest"],
    ["STOP", "stop"],
    ["stop.", "stop"],
    ["Arrêt", "stop"],
    ["arret", "stop"],
    ["unsubscribe", "stop"],
    ["START", "start"],
    ["Démarrer", "start"],
  ])("%s → %s", (input, kind) => {
    expect(text(input)).toEqual({ kind });
  });

  it("reads opt-in codes alone or inside the prefilled sentence", () => {
    expect(text("FLUX-123456")).toEqual({ kind: "opt_in", code: "123456" });
    expect(text("flux 654321")).toEqual({ kind: "opt_in", code: "654321" });
    expect(text(" 123456 ")).toEqual({ kind: "opt_in", code: "123456" });
    expect(text("Activer les alertes FluxAsync : FLUX-000042")).toEqual({ kind: "opt_in", code: "000042" });
    expect(text("1234567")).toEqual({ kind: "text", text: "1234567" });
    expect(text("FLUX-12345")).toEqual({ kind: "text", text: "FLUX-12345" });
  });

  it("keeps other text as text (a reply's text, or else the help)", () => {
    expect(text("Bonjour, merci pour l'alerte")).toEqual({
      kind: "text",
      text: "Bonjour, merci pour l'alerte",
    });
    expect(text("please stop sending")).toEqual({ kind: "text", text: "please stop sending" });
    expect(text(null)).toEqual({ kind: "help" });
    expect(text("")).toEqual({ kind: "help" });
  });
});

describe("opt-in link", () => {
  it("prefills the code in the recipient's language", () => {
    expect(formatOptInCode("123456")).toBe("FLUX-123456");
    const link = optInLink({ businessNumber: "+2250101010101", code: "123456", locale: "fr" });
    expect(link.startsWith("https://wa.me/2250101010101?text=")).toBe(true);
    const prefilled = new URL(link).searchParams.get("text")!;
    expect(prefilled).toBe("Activer les alertes FluxAsync : FLUX-123456");
    // What the recipient sends back is understood as the code.
    expect(text(prefilled)).toEqual({ kind: "opt_in", code: "123456" });
    expect(
      new URL(optInLink({ businessNumber: "+2250101010101", code: "1", locale: "en" })).searchParams.get(
        "text",
      ),
    ).toBe("Turn on FluxAsync alerts: FLUX-1");
  });
});
