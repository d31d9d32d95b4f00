import { describe, expect, it } from "vitest";
import { analyzeMessage } from "@/lib/analysis/analyze";
import { evaluate } from "@/lib/analysis/evaluate";
import { firstMeaningfulSentence } from "@/lib/analysis/summary";
import { atEmailDate, context, KNOWN, message } from "@/lib/analysis/test-helpers";
import { labelledSplit, profileContext, readProfileFile, regressionSet } from "@/lib/samples/eval-sets";

const noKey = { geminiApiKey: null, geminiModel: "gemini-test" };
const summarize = async (text: string, subject = "Point sur le dossier") => {
  const msg = message({ subject, text });
  return (await analyzeMessage(msg, context({ relationship: KNOWN }), noKey, atEmailDate(msg))).analysis
    .summary;
};

describe("the rules' summary", () => {
  it("says what the sender wants: the first sentence after the greeting and the pleasantries", async () => {
    const summary = await summarize(
      "Bonjour Monsieur Traoré,\n\nJ'espère que vous allez bien. Pourriez-vous nous confirmer la date de livraison du lot 3 ? Nous devons planifier le chantier.\n\nCordialement,\nAïcha",
    );
    expect(summary).toEqual({
      fr: "« Pourriez-vous nous confirmer la date de livraison du lot 3 ? »",
      en: "“Pourriez-vous nous confirmer la date de livraison du lot 3 ?”",
    });
  });

  it("names a threat to cancel an order, with its number, in each language", async () => {
    const summary = await summarize(
      "Bonjour,\n\nLa commande n°4521 a déjà dix jours de retard de livraison. Sans livraison d'ici vendredi, nous annulerons la commande.\n\nM. Diallo",
      "Retard de livraison - commande #4521",
    );
    expect(summary).toEqual({
      fr: "Menace d’annuler la commande n° 4521",
      en: "Threatens to cancel order no. 4521",
    });
  });

  it("never repeats the sender or the subject, and shows no address in its prose", async () => {
    const summary = await summarize(
      "Hello,\n\nPlease write to billing@client.example for the invoice.\n\nThe invoice for November is attached for your records.",
    );
    expect(summary.en).toBe("“The invoice for November is attached for your records.”");
    expect(firstMeaningfulSentence("Bonjour,\n\nhttps://x.example/y\n\nMerci")).toBeNull();
    expect((await summarize("")).fr).toBe("E-mail sans texte");
  });

  it("holds on every labelled email: one non-empty sentence per language, not the sender, not the subject, nothing defanged", async () => {
    const regression = await regressionSet();
    const dev = await labelledSplit("dev");
    const devContext = profileContext(readProfileFile("lib/samples/sets/inbox-2026/profile.json"));
    const rows = [
      ...(await evaluate(regression.items, regression.context, noKey)).rows,
      ...(await evaluate(dev, devContext, noKey)).rows,
    ];
    expect(rows.length).toBeGreaterThan(100);
    for (const { msg, analysis } of rows) {
      for (const text of [analysis.summary.fr, analysis.summary.en]) {
        expect(text.length).toBeGreaterThan(5);
        if (msg.from.address) expect(text.toLowerCase()).not.toContain(msg.from.address.toLowerCase());
        expect(text.replace(/[«»“”]/g, "").trim()).not.toBe(msg.subject.trim());
        expect(text).not.toContain("[.]");
      }
    }
  });
});
