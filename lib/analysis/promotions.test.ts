import { describe, expect, it } from "vitest";
import { analyzeMessage } from "@/lib/analysis/analyze";
import { atEmailDate, context, message, shown } from "@/lib/analysis/test-helpers";
import { NO_RELATIONSHIP } from "@/lib/relationships/facts";

const noKey = { geminiApiKey: null, geminiModel: "gemini-test" };
const bulk = { "list-unsubscribe": "<https://news.example/u>", precedence: "bulk" };
const sale = message({
  from: { name: "Air Côte d’Ivoire", address: "offres@aircotedivoire.example" },
  headers: bulk,
  subject: "-30 % sur vos vols vers Dakar ce mois-ci",
  text: "Profitez de nos promotions : -30 % sur tous les vols, offre spéciale membres. Se désabonner.",
});

const analyze = (msg = sale, ctx = context()) => analyzeMessage(msg, ctx, noKey, atEmailDate(msg));

describe("promotions", () => {
  it("files a mass-mailed promotion from a sender the owner deals with as informational « Promotions »", async () => {
    const { analysis } = await analyze();
    expect(analysis).toMatchObject({ priority: "informational", category: "promotion" });
    expect(shown(analysis).reasons.join(" ")).toContain("classée dans « Promotions », sans alerte");
  });

  it("keeps the same mailing from a stranger spam: unsolicited", async () => {
    const { analysis } = await analyze(sale, context({ relationship: NO_RELATIONSHIP }));
    expect(analysis).toMatchObject({ priority: "spam", category: "promotion" });
  });

  it("keeps a scam spam even from a known address, and a sender rule has the last word", async () => {
    const scam = message({
      ...sale,
      text: "Félicitations, vous avez gagné un billet gratuit ! Envoyez vos frais de dossier par Western Union.",
    });
    expect((await analyze(scam)).analysis.priority).toBe("spam");
    const ruled = context({
      senderRules: [{ pattern: "offres@aircotedivoire.example", kind: "priority", priority: "spam" }],
    });
    expect((await analyze(sale, ruled)).analysis.priority).toBe("spam");
  });
});
