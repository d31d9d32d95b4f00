import { describe, expect, it } from "vitest";
import { alertButtons } from "@/lib/channels/alert-buttons";
import type { AlertAction } from "@/lib/channels/channel";
import { emailChannel } from "@/lib/channels/email/channel";
import { LIMITS } from "@/lib/channels/whatsapp/api";
import { whatsAppChannel } from "@/lib/channels/whatsapp/channel";
import { type AlertRenderInput, renderAlert } from "@/lib/channels/whatsapp/render-alert";

const now = new Date("2026-11-24T09:00:00Z"); // 09:00 in Abidjan (UTC+0)

const designExample: AlertRenderInput = {
  locale: "fr",
  timeZone: "Africa/Abidjan",
  priority: "critical",
  subject: "Nouveau contrat de 15M FCFA",
  fromName: null,
  fromAddress: "client.important@banque.ci",
  summary: "Le client demande la signature du contrat avant ce soir.",
  deadline: "2026-11-24T17:00:00Z",
  amounts: [],
  suggestedAction: { kind: "call", phrase: "appeler ou signer" },
  fraudWarning: null,
  autoActions: ["label:FluxAsync/Critique"],
  analyzer: "gemini",
  alertId: "4f1c2d3e-0000-4000-8000-000000000001",
};

const graphemes = (s: string) =>
  [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(s)].map((g) => g.segment);

describe("renderAlert", () => {
  it("renders the design brief's alert", () => {
    const alert = renderAlert(designExample, now);
    expect(alert.body).toBe(
      [
        "🔴 *Critique* — Nouveau contrat de 15M FCFA",
        "De : client.important@banque.ci",
        "📝 Le client demande la signature du contrat avant ce soir.",
        "⏰ Échéance : aujourd’hui 17:00",
        "👉 Action recommandée : appeler ou signer",
        "🤖 Action automatique : libellé « FluxAsync/Critique » appliqué",
      ].join("\n"),
    );
    expect(alert.buttons).toEqual([
      { id: `done:${designExample.alertId}`, title: "✅ Traité" },
      { id: `snooze:${designExample.alertId}`, title: "⏰ Rappel 1 h" },
      { id: `reply:${designExample.alertId}`, title: "↩️ Répondre" },
    ]);
    expect(alert.templateParams).toEqual([
      "🔴 Critique",
      "Nouveau contrat de 15M FCFA",
      "client.important@banque.ci",
      "📝 Le client demande la signature du contrat avant ce soir. · ⏰ Échéance : aujourd’hui 17:00 · 👉 Action recommandée : appeler ou signer",
    ]);
  });

  for (const locale of ["fr", "en"] as const) {
    for (const priority of ["critical", "important", "informational", "spam"] as const) {
      it(`snapshot: ${locale} ${priority}`, () => {
        const alert = renderAlert(
          {
            ...designExample,
            locale,
            priority,
            fromName: "Awa Koné",
            deadline: "2026-11-25T08:30:00Z",
            amounts: [
              { value: 15_000_000, currency: "XOF" },
              { value: 1250.5, currency: "EUR" },
            ],
            fraudWarning:
              priority === "critical" ? "Changement de coordonnées bancaires : vérifiez par téléphone" : null,
            autoActions: priority === "spam" ? ["archive", "mark_read"] : [],
            analyzer:
              priority === "spam" ? "prefilter" : priority === "informational" ? "fallback" : "gemini",
          },
          now,
        );
        expect(alert).toMatchSnapshot();
      });
    }
  }

  for (const locale of ["fr", "en"] as const) {
    it(`snapshot: ${locale} hostile long subject with links and markup`, () => {
      const alert = renderAlert(
        {
          ...designExample,
          locale,
          subject: `*URGENT* _Virement_ ~annulé~ \`ref\` https://pay.evil.ci/x ${"très ".repeat(60)}long 🎉🎉`,
          fromName: "Service *Paie*",
          summary: "Ligne 1\n> Ligne 2\n* Ligne 3",
          fraudWarning: "Nouveau RIB demandé par e-mail",
        },
        now,
      );
      expect(alert).toMatchSnapshot();
    });
  }

  it("writes the deadline relative to now in the recipient's time zone", () => {
    const at = (deadline: string, timeZone = "Africa/Abidjan", locale: "fr" | "en" = "fr") =>
      renderAlert({ ...designExample, deadline, timeZone, locale }, now).body.split("\n")[3];
    expect(at("2026-11-25T09:00:00Z")).toBe("⏰ Échéance : demain 09:00");
    expect(at("2026-11-23T17:00:00Z")).toBe("⏰ Échéance : hier 17:00 (dépassée)");
    expect(at("2026-11-27T15:30:00Z")).toBe("⏰ Échéance : ven. 27 nov., 15:30");
    expect(at("2027-01-05T15:30:00Z", "Africa/Abidjan", "en")).toBe("⏰ Deadline: Tue, 5 Jan 2027, 15:30");
    // 23:30 UTC on the 24th is already the 25th in Paris: "tomorrow" there, not "today".
    expect(at("2026-11-24T23:30:00Z", "Europe/Paris")).toBe("⏰ Échéance : demain 00:30");
    expect(at("2026-11-24T17:00:00+01:00", "Africa/Lagos", "en")).toBe("⏰ Deadline: today 17:00");
  });

  it("escapes WhatsApp markup coming from the email", () => {
    const alert = renderAlert(
      {
        ...designExample,
        subject: "*GAGNANT* _urgent_ ~barré~ `code` ```bloc```",
        fromName: "*Direction*",
        summary: "> citation\n- puce\n1. liste",
        suggestedAction: { kind: "reply", phrase: "répondre *vite*" },
        fraudWarning: "RIB *modifié*",
        autoActions: ["label:*Important*"],
      },
      now,
    );
    const lines = alert.body.split("\n");
    expect(lines[0]).toBe("🔴 *Critique* — ∗GAGNANT∗ ˍurgentˍ ∼barré∼ ˋcodeˋ ˋˋˋblocˋˋˋ");
    expect(lines[1]).toBe("De : ∗Direction∗ (client.important@banque.ci)");
    // Newlines from the email are collapsed: no line can start with a quote or list marker.
    expect(lines[2]).toBe("📝 › citation - puce 1. liste");
    expect(alert.body).toContain("⚠️ *RIB ∗modifié∗*");
    expect(alert.body).toContain("libellé « ∗Important∗ » appliqué");
    // Our own markup stays: exactly the bold label, the fraud warning.
    const asterisks = alert.body.match(/\*/g) ?? [];
    expect(asterisks).toHaveLength(4);
    for (const param of alert.templateParams) expect(param).not.toMatch(/[\n\t]| {5}/);
  });

  it("makes links from the email unclickable", () => {
    const alert = renderAlert(
      {
        ...designExample,
        subject: "Votre compte: https://banque-secure.ci/login?id=1",
        summary: "Cliquez sur www.evil.com ou http://192.168.1.10/pay, écrivez à support@evil.com",
      },
      now,
    );
    expect(alert.body).toContain("Votre compte: banque-secure[.]ci/login?id=1");
    expect(alert.body).toContain(
      "Cliquez sur www[.]evil[.]com ou 192[.]168[.]1[.]10/pay, écrivez à support@evil[.]com",
    );
    expect(alert.body).not.toMatch(/https?:|www\.|\.com|\.ci\//);
  });

  it("strips invisible and bidi characters that could disguise text", () => {
    const alert = renderAlert({ ...designExample, subject: "Facture\u202Efdp.exe\u200B ici" }, now);
    expect(alert.body.split("\n")[0]).toBe("🔴 *Critique* — Facturefdp[.]exe ici");
  });

  it("fits a hostile, very long email into the interactive limit without cutting an emoji", () => {
    const long = "🚨".repeat(700);
    const alert = renderAlert(
      {
        ...designExample,
        subject: `Urgent ${long}`,
        fromName: "N".repeat(500),
        fromAddress: `${"a".repeat(300)}@banque.ci`,
        summary: `👨‍👩‍👧 ${"Résumé très long. ".repeat(200)}`,
        suggestedAction: { kind: "pay", phrase: "payer ".repeat(100) },
        fraudWarning: "⚠".repeat(400),
        amounts: Array.from({ length: 8 }, (_, i) => ({ value: i * 1000, currency: "XOF" })),
        autoActions: Array.from({ length: 5 }, (_, i) => `label:${"L".repeat(100)}${i}`),
        escalatedFrom: "Moussa ".repeat(50),
        reminder: true,
      },
      now,
    );
    expect(alert.body.length).toBeLessThanOrEqual(LIMITS.interactiveBody);
    // Every line ends in a whole grapheme: no lone surrogate, no broken emoji.
    expect(alert.body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    const subjectLine = alert.body.split("\n").find((l) => l.startsWith("🔴"))!;
    expect(subjectLine.endsWith("🚨…")).toBe(true);
    expect(alert.body).toContain("💰 Montants : 0 FCFA, 1 000 FCFA, 2 000 FCFA");
    const templateTotal = alert.templateParams.join("").length;
    expect(templateTotal).toBeLessThanOrEqual(1024 - 160);
  });

  it("truncates at a grapheme boundary when a family emoji straddles the limit", () => {
    const family = "👨‍👩‍👧‍👦"; // 11 UTF-16 units, one grapheme
    const alert = renderAlert({ ...designExample, subject: `${"x".repeat(195)}${family}${family}` }, now);
    const subject = alert.body.split("\n")[0]!.replace("🔴 *Critique* — ", "");
    expect(subject.length).toBeLessThanOrEqual(200);
    expect(graphemes(subject).at(-1)).toBe("…");
    expect(subject).not.toContain("\u200D…");
    expect(subject).toBe(`${"x".repeat(195)}…`);
  });

  it("says which analyzer decided when it was not Gemini", () => {
    expect(renderAlert({ ...designExample, analyzer: "prefilter" }, now).body).toContain(
      "🧮 Analyse : règles locales",
    );
    expect(renderAlert({ ...designExample, analyzer: "fallback", locale: "en" }, now).body).toContain(
      "🧮 Analysis: fallback rules (AI unavailable)",
    );
    // Gemini not configured at all (local mode) is not "unavailable": the line says so.
    expect(renderAlert({ ...designExample, analyzer: "fallback", aiConfigured: false }, now).body).toContain(
      "🧮 Analyse : règles locales (IA non configurée)",
    );
    expect(renderAlert(designExample, now).body).not.toContain("🧮");
  });

  it("writes 'aucune' / 'none' when no automatic action ran, and the escalation prefix first", () => {
    const fr = renderAlert({ ...designExample, autoActions: [], escalatedFrom: "Awa Koné" }, now).body;
    expect(fr).toContain("🤖 Action automatique : aucune");
    expect(fr.split("\n")[0]).toBe("⬆️ *Escalade* — Awa Koné n’a pas ouvert cette alerte critique.");
    expect(renderAlert({ ...designExample, locale: "en", autoActions: [] }, now).body).toContain(
      "🤖 Automatic action: none",
    );
  });

  it("uses the action kind when the phrase is empty, and '(sans objet)' for an empty subject", () => {
    const body = renderAlert(
      { ...designExample, subject: "  ", suggestedAction: { kind: "pay", phrase: "" } },
      now,
    ).body;
    expect(body).toContain("— (sans objet)");
    expect(body).toContain("👉 Action recommandée : payer");
  });

  it("rejects an unknown time zone", () => {
    expect(() => renderAlert({ ...designExample, timeZone: "Mars/Olympus" }, now)).toThrow(/time zone/);
  });
});

describe("auto-actions line", () => {
  it("says which auto-actions failed, in the recipient's language", () => {
    const autoActions = ["failed:label:FluxAsync/Spam", "mark_read", "failed:archive"];
    expect(renderAlert({ ...designExample, autoActions }, now).body).toContain(
      "libellé « FluxAsync/Spam » non appliqué, marqué comme lu, non archivé",
    );
    expect(renderAlert({ ...designExample, locale: "en", autoActions: ["failed"] }, now).body).toContain(
      "automatic actions failed",
    );
  });

  it("says an action decided but not applied yet is in progress (the alert goes out before the label)", () => {
    const autoActions = ["pending:label:FluxAsync/Spam", "pending:mark_read", "pending:archive"];
    expect(renderAlert({ ...designExample, autoActions }, now).body).toContain(
      "🤖 Actions automatiques : libellé « FluxAsync/Spam » (en cours), marquer comme lu (en cours), archivage (en cours)",
    );
    expect(
      renderAlert({ ...designExample, locale: "en", autoActions: ["pending:label:FluxAsync/Spam"] }, now)
        .body,
    ).toContain("🤖 Automatic action: label “FluxAsync/Spam” (in progress)");
  });
});

const EVERY_ACTION: AlertAction[] = ["done", "snooze", "reply", "mute"];

describe("alert buttons", () => {
  it("are the recipient's channel's: WhatsApp's three reply buttons, e-mail's links with ignore-the-sender for reply", () => {
    const ids = (actions: readonly AlertAction[]) =>
      renderAlert(designExample, now, actions).buttons.map((b) => b.id.split(":")[0]);
    expect(ids(whatsAppChannel.alertActions)).toEqual(["done", "snooze", "reply"]);
    expect(renderAlert(designExample, now).buttons).toEqual(
      renderAlert(designExample, now, whatsAppChannel.alertActions).buttons,
    );
    const email = renderAlert(designExample, now, emailChannel.alertActions).buttons;
    expect(email).toEqual([
      { id: `done:${designExample.alertId}`, title: "✅ Traité" },
      { id: `snooze:${designExample.alertId}`, title: "⏰ Rappel 1 h" },
      { id: `mute:${designExample.alertId}`, title: "🔕 Ignorer l’adresse" },
    ]);
  });

  it("keep every title within Meta's 20 characters however they are counted", () => {
    for (const locale of ["fr", "en"] as const) {
      for (const b of alertButtons(EVERY_ACTION, locale, "x")) {
        expect(b.title.length, b.title).toBeLessThanOrEqual(LIMITS.buttonTitle); // UTF-16 units, the strictest
        expect([...b.title].length).toBeLessThanOrEqual(LIMITS.buttonTitle); // code points
      }
    }
  });

  it("would not fit with the design's wording, which is why it is shortened", () => {
    expect("🔕 Ignorer l'expéditeur".length).toBeGreaterThan(LIMITS.buttonTitle);
  });

  it("carries ids within 256 characters for a UUID alert id", () => {
    for (const b of alertButtons(EVERY_ACTION, "fr", "4f1c2d3e-0000-4000-8000-000000000001"))
      expect(b.id.length).toBeLessThanOrEqual(256);
  });
});

describe("renderAlert — CRM key client", () => {
  it("says the sender is a key client of the CRM, with the deal, in each recipient's language", () => {
    const fr = renderAlert({ ...designExample, crmKeyClientDealXof: 15_000_000 }, now);
    // French keeps "15 M" together with a no-break space.
    expect(fr.body).toMatch(/\n👤 Client CRM \(affaire 15\sM FCFA\)\n/);
    expect(fr.templateParams[3]).toMatch(/👤 Client CRM \(affaire 15\sM FCFA\)/);
    const en = renderAlert({ ...designExample, locale: "en", crmKeyClientDealXof: 15_000_000 }, now);
    expect(en.body).toMatch(/\n👤 CRM client \(deal 15M FCFA\)\n/);
    expect(renderAlert(designExample, now).body).not.toContain("👤");
  });
});
