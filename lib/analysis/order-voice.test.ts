import { describe, expect, it } from "vitest";
import { analyzeMessage } from "@/lib/analysis/analyze";
import { atEmailDate, context, message } from "@/lib/analysis/test-helpers";

const noKey = { geminiApiKey: null, geminiModel: "gemini-test" };

async function categoryOf(subject: string, text: string, ctx = context()) {
  const msg = message({ subject, text });
  return (await analyzeMessage(msg, ctx, noKey, atEmailDate(msg))).analysis.category;
}

describe("client or supplier", () => {
  it("reads a client's complaint about their own order as « Client », not « Fournisseur »", async () => {
    expect(
      await categoryOf(
        "Commande n° 4521",
        "Bonjour,\n\nMa commande n° 4521 n’est toujours pas livrée, je vais annuler si rien ne bouge cette semaine.\n\nM. Diallo",
      ),
    ).toBe("client");
    expect(
      await categoryOf(
        "Order 887",
        "Hello,\n\nWe placed an order three weeks ago and it has not arrived. Please tell us when it ships.\n\nJ. Mensah",
      ),
    ).toBe("client");
  });

  it("reads the supplier's side of the same delivery as « Fournisseur »", async () => {
    expect(
      await categoryOf(
        "Retard de livraison",
        "Bonjour,\n\nNous vous informons que votre commande de 60 tonnes d’engrais est reportée au 4 décembre.\n\nService commercial",
      ),
    ).toBe("supplier");
    expect(
      await categoryOf(
        "Devis rénovation",
        "Monsieur,\n\nVeuillez trouver ci-joint notre devis pour la rénovation des bureaux.\n\nCordialement",
      ),
    ).toBe("supplier");
  });

  it("counts a request for the reader's prices as a client's", async () => {
    expect(
      await categoryOf(
        "Demande de prix",
        "Bonjour,\n\nPouvez-vous m’envoyer vos tarifs pour 300 tonnes de ciment ?",
      ),
    ).toBe("client");
  });
});
