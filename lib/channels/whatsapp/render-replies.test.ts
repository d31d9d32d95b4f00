import { describe, expect, it } from "vitest";
import { LIMITS } from "@/lib/channels/whatsapp/api";
import {
  renderMailboxReconnectNotice,
  renderRecipientUndeliverableNotice,
} from "@/lib/channels/whatsapp/render-notices";
import {
  renderAlertNotFound,
  renderDoneConfirmation,
  renderHelp,
  renderMuteConfirmation,
  renderNotRegistered,
  renderOptInCodeInvalid,
  renderOptInConfirmation,
  renderOptOutConfirmation,
  renderSnoozeConfirmation,
  renderUnmuteConfirmation,
} from "@/lib/channels/whatsapp/render-replies";

describe("replies", () => {
  it("confirm opt-in and opt-out, naming the commands", () => {
    expect(renderOptInConfirmation("fr").body).toMatch(/activées.*\n.*AIDE.*STOP/s);
    const last = renderOptOutConfirmation("fr").body;
    expect(last).toContain("dernier message");
    expect(last).toContain("START");
    expect(renderOptOutConfirmation("en").body).toContain("last message");
  });

  it("help lists the commands in the recipient's language", () => {
    for (const word of ["AIDE", "RÉSUMÉ", "STOP", "START"]) expect(renderHelp("fr").body).toContain(word);
    for (const word of ["HELP", "SUMMARY", "STOP", "START"]) expect(renderHelp("en").body).toContain(word);
  });

  it("confirms a snooze with the time in the recipient's zone", () => {
    const now = new Date("2026-11-24T16:30:00Z");
    const remindAt = new Date("2026-11-24T17:30:00Z");
    expect(renderSnoozeConfirmation({ locale: "fr", timeZone: "Africa/Abidjan", remindAt, now }).body).toBe(
      "⏰ C’est noté : je vous rappelle cette alerte aujourd’hui 17:30.",
    );
    expect(renderSnoozeConfirmation({ locale: "en", timeZone: "Europe/Paris", remindAt, now }).body).toBe(
      "⏰ Got it: I will remind you of this alert today 18:30.",
    );
  });

  it("confirms a mute with an undo button", () => {
    const reply = renderMuteConfirmation({ locale: "fr", sender: "promo_x@shop.ci", ruleId: "rule-9" });
    expect(reply.body).toContain("Plus d’alertes pour promoˍx@shop.ci.");
    expect(reply.body).toContain("« Annuler »");
    expect(reply.buttons).toEqual([{ id: "unmute:rule-9", title: "↩️ Annuler" }]);
    expect(renderMuteConfirmation({ locale: "en", sender: "x@y.ci", ruleId: "r" }).buttons[0]!.title).toBe(
      "↩️ Undo",
    );
    expect(renderUnmuteConfirmation({ locale: "fr", sender: "x@y.ci" }).body).toBe(
      "🔔 Les alertes pour x@y.ci sont réactivées.",
    );
  });

  it("confirms done, saying whether the email was marked read", () => {
    expect(renderDoneConfirmation({ locale: "fr", markedRead: false }).body).toBe(
      "✅ Alerte marquée comme traitée.",
    );
    expect(renderDoneConfirmation({ locale: "fr", markedRead: true }).body).toContain("marqué comme lu");
  });

  it("has short answers for the unhappy paths", () => {
    expect(renderAlertNotFound("fr").body).toContain("n’existe plus");
    expect(renderOptInCodeInvalid("en").body).toContain("expired");
    expect(renderNotRegistered("fr").body).toContain("pas inscrit");
  });

  it("all fit in a text message, and the buttons in theirs", () => {
    const replies = [
      renderOptInConfirmation("fr"),
      renderOptOutConfirmation("en"),
      renderHelp("fr"),
      renderMuteConfirmation({ locale: "fr", sender: "a".repeat(5000), ruleId: "r" }),
    ];
    for (const r of replies) {
      expect(r.body.length).toBeLessThanOrEqual(LIMITS.interactiveBody);
      for (const b of r.buttons) expect(b.title.length).toBeLessThanOrEqual(LIMITS.buttonTitle);
    }
  });
});

describe("owner notices", () => {
  it("asks to reconnect a mailbox, with our app link", () => {
    const notice = renderMailboxReconnectNotice({
      locale: "fr",
      mailbox: "direction@entreprise.ci",
      appUrl: "https://app.fluxasync.com/settings/mailboxes",
    });
    expect(notice.body).toBe(
      "⚠️ *Boîte mail à reconnecter* — FluxAsync ne peut plus lire direction@entreprise.ci (accès révoqué ou expiré). Aucune alerte n’arrivera pour cette boîte tant qu’elle n’est pas reconnectée dans l’application (Paramètres › Boîtes mail).\n🔗 https://app.fluxasync.com/settings/mailboxes",
    );
    expect(notice.templateParams).toEqual([
      "la boîte direction@entreprise.ci doit être reconnectée dans l’application (accès révoqué ou expiré)",
    ]);
  });

  it("reports an undeliverable recipient", () => {
    const notice = renderRecipientUndeliverableNotice({
      locale: "en",
      recipientName: "Awa *K*",
      phone: "+2250707123456",
    });
    expect(notice.body).toBe(
      "⚠️ *Recipient unreachable* — WhatsApp alerts can no longer be delivered to Awa ∗K∗ (+225 07 07 12 3456). Check this number in the app (Settings › Recipients).",
    );
    expect(notice.templateParams[0]).not.toMatch(/\n/);
  });
});
