import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AutoReplySettings } from "@/app/_components/auto-reply-settings";
import type { AutoReplySettingsView } from "@/app/_lib/auto-replies-core";
import type { ReplyTemplate } from "@/lib/db/replies";
import { translator } from "@/lib/i18n/catalogue";

const template = (id: string, title: string, approved: boolean): ReplyTemplate => ({
  id,
  locale: "fr",
  title,
  body: "Bien reçu.",
  approved,
  approvedBy: null,
  approvedAt: null,
  position: 0,
  updatedAt: new Date(),
});
const approved = template("11111111-1111-4111-8111-111111111111", "Bien reçu", true);
const withdrawn = template("22222222-2222-4222-8222-222222222222", "Je reviens", false);
const settings: AutoReplySettingsView = {
  intervalDays: 4,
  dailyCap: 20,
  sentToday: [{ mailboxId: "mb1", count: 3 }],
  templates: [approved, withdrawn],
  approvedTemplates: [approved],
  rules: [
    {
      id: "33333333-3333-4333-8333-333333333333",
      templateId: withdrawn.id,
      enabled: false,
      senderPattern: "@client.ci",
      vipOnly: true,
      category: "contract",
      minPriority: "critical",
      hours: "quiet_hours",
      workStartMinute: 450,
      workEndMinute: 1065,
      createdAt: new Date(),
    },
  ],
};
const mailboxes = [
  { id: "mb1", address: "dg@entreprise.ci", provider: "gmail" as const, canSend: true },
  { id: "mb2", address: "dg@contoso.ci", provider: "outlook" as const, canSend: false },
];
const render = (locale: "fr" | "en") =>
  renderToStaticMarkup(
    <AutoReplySettings
      viewer={{ user: null, locale, timeZone: "Africa/Abidjan", t: translator(locale, "web") }}
      settings={settings}
      mailboxes={mailboxes}
    />,
  );

describe("Settings › Réponses automatiques", () => {
  it("says the safeguards and limits, each mailbox's count, and each rule, in French", () => {
    const fr = render("fr");
    expect(fr).toContain("jamais aux listes de diffusion");
    expect(fr).toContain("Auto-Submitted: auto-replied");
    expect(fr).toContain("tous les 4 jours, et 20 par boîte et par 24 heures");
    expect(fr).toContain("dg@entreprise.ci : 3 sur 20 ces dernières 24 heures");
    expect(fr).toContain("dg@contoso.ci : l’envoi n’est pas encore autorisé");
    expect(fr).toContain(
      "<strong>Désactivée</strong> — @client.ci · VIP · Contrat · priorité ≥ Critique · Pendant les heures calmes du propriétaire · « Je reviens »",
    );
    expect(fr).toContain("sa réponse n’est plus approuvée");
    expect(fr).toContain('value="07:30"');
    expect(fr).toContain('value="17:45"');
  });

  it("speaks English to an English-speaking user", () => {
    const en = render("en");
    expect(en).toContain("never to mailing lists");
    expect(en).toContain("<strong>Off</strong> — @client.ci · VIP · Contract");
    expect(en).toContain("Create the rule");
  });
});
