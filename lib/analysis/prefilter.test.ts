import { describe, expect, it } from "vitest";
import { analyzeMessage } from "@/lib/analysis/analyze";
import { prefilter } from "@/lib/analysis/prefilter";
import { priorityRank } from "@/lib/analysis/sender-rules";
import { computeSignals } from "@/lib/analysis/signals";
import { atEmailDate, context, message, shown } from "@/lib/analysis/test-helpers";
import { labelledSamples } from "@/lib/samples/labelled";

const noKey = { geminiApiKey: null, geminiModel: "gemini-test" };
const bulk = { "list-unsubscribe": "<https://news.example/u>", precedence: "bulk" };

function decide(msg = message(), ctx = context()) {
  return prefilter(msg, ctx, computeSignals(msg, ctx, new Date(msg.date)));
}

describe("prefilter", () => {
  it("keeps a service's mail to one of its account holders out of spam, upsell included", () => {
    const service = {
      from: { name: "Réseau Pro", address: "messages-noreply@reseau-pro.example" },
      headers: {
        ...bulk,
        "authentication-results":
          "mx.google.com; dkim=pass header.d=reseau-pro.example; dmarc=pass header.from=reseau-pro.example",
      },
      subject: "Vous êtes apparu dans 9 recherches",
      text: "Découvrez qui vous a trouvé — essai gratuit de l'offre Premium, profitez-en.\n\nCet e-mail est destiné à Awa Sy (Directrice).",
    };
    expect(decide(message(service))).toMatchObject({ priority: "informational" });
    // Without the account holder's footer, or unauthenticated, the same upsell is advertising.
    const footerless = {
      ...service,
      text: "Découvrez qui vous a trouvé — essai gratuit de l'offre Premium, profitez-en.",
    };
    expect(decide(message(footerless))).toMatchObject({ priority: "spam" });
    expect(decide(message({ ...service, headers: bulk }))).toMatchObject({ priority: "spam" });
  });

  it("decides newsletters, promotions and auto-replies without a model, and says so", () => {
    const news = decide(
      message({
        headers: bulk,
        subject: "Lettre du lundi",
        text: "Les titres de la semaine. Se désabonner.",
      }),
    );
    expect(news).toMatchObject({ priority: "informational", analyzer: "prefilter", category: "newsletter" });
    expect(shown(news!).reasons.join(" ")).toContain("list-unsubscribe");
    const promo = decide(
      message({
        headers: bulk,
        subject: "-50% ce week-end",
        text: "Profitez de nos soldes, livraison gratuite.",
      }),
    );
    expect(promo).toMatchObject({ priority: "spam", category: "promotion" });
    const ooo = decide(
      message({
        headers: { "auto-submitted": "auto-replied" },
        text: "Absent. Pour toute demande urgente, voir Mme Brou.",
      }),
    );
    expect(ooo).toMatchObject({ priority: "informational", category: "auto_reply" });
  });

  it("reads Precedence: bulk on a program's own notice as 'do not auto-reply', not as a list", () => {
    const notice = (headers: Record<string, string>) =>
      computeSignals(message({ headers }), context(), new Date()).bulk;
    expect(notice({ "auto-submitted": "auto-generated", precedence: "bulk" })).toEqual([]);
    expect(notice({ precedence: "bulk" })).toEqual(["precedence"]);
    expect(
      notice({ "auto-submitted": "auto-generated", precedence: "bulk", "list-id": "<n.example>" }),
    ).toEqual(["list-id", "precedence"]);
  });

  it("stands aside when money, a deadline, legal, contract or bank-detail signals are present", () => {
    for (const text of [
      "Votre facture de 2 350 000 FCFA est disponible.",
      "Merci de répondre avant demain 10h.",
      "Mise en demeure de payer les loyers.",
      "Votre contrat est disponible dans votre espace.",
      "Merci de mettre à jour votre RIB.",
    ]) {
      expect(decide(message({ headers: bulk, text }))).toBeNull();
    }
  });

  it("stands aside for VIP senders, even on mass mail", () => {
    const ctx = context({ senderRules: [{ pattern: "@banque-atlantique.ci", kind: "vip" }] });
    expect(decide(message({ headers: bulk }), ctx)).toBeNull();
  });

  it("handles muted and blocked senders", () => {
    const muted = context({ senderRules: [{ pattern: "a.kone@banque-atlantique.ci", kind: "muted" }] });
    expect(decide(message(), muted)).toMatchObject({ priority: "informational", analyzer: "prefilter" });
    const blocked = context({ senderRules: [{ pattern: "@banque-atlantique.ci", kind: "blocked" }] });
    expect(decide(message(), blocked)).toMatchObject({ priority: "spam", analyzer: "prefilter" });
  });

  it("never decides for a VIP email or an email with money or a deadline, across the sample set", async () => {
    let withMoneyOrDeadline = 0;
    for (const { msg, id } of await labelledSamples()) {
      const ctx = context();
      const signals = computeSignals(msg, ctx, new Date(msg.date));
      if (signals.amounts.length > 0 || signals.deadline) {
        withMoneyOrDeadline++;
        expect(decide(msg, ctx), id).toBeNull();
      }
      const vip = context({ senderRules: [{ pattern: msg.from.address, kind: "vip" }] });
      expect(decide(msg, vip), id).toBeNull();
    }
    expect(withMoneyOrDeadline).toBeGreaterThan(30);
  });

  it("lets a VIP newsletter through as at least important", async () => {
    const msg = message({ headers: bulk, subject: "Lettre du lundi", text: "Les titres de la semaine." });
    const vip = context({ senderRules: [{ pattern: "@banque-atlantique.ci", kind: "vip" }] });
    const { analysis } = await analyzeMessage(msg, vip, noKey, atEmailDate(msg));
    expect(priorityRank(analysis.priority)).toBeGreaterThanOrEqual(priorityRank("important"));
    expect(analysis.analyzer).toBe("fallback");
  });
});
