import { describe, expect, it } from "vitest";
import { analyzeMessage } from "@/lib/analysis/analyze";
import type { MailboxHost } from "@/lib/analysis/context";
import { computeSignals } from "@/lib/analysis/signals";
import { atEmailDate, context, KNOWN, message, shown } from "@/lib/analysis/test-helpers";
import { trustTier } from "@/lib/analysis/trust-gate";
import { NO_RELATIONSHIP } from "@/lib/relationships/facts";

/*
 * Who wants what: a first contact who asks for the owner's business is a prospect, one who offers
 * their own is a cold approach; the owner copied on a thread follows it; the mailbox's own host
 * writes about the owner's own account.
 */

const noKey = { geminiApiKey: null, geminiModel: "gemini-test" };
const ME = "direction@sahel-negoce.ci";
const auth = (domain: string, verdict = "pass") => ({
  "authentication-results": `mx.google.com; dkim=${verdict} header.d=${domain}; dmarc=${verdict} header.from=${domain}`,
});
const run = async (
  msg: Parameters<typeof message>[0],
  relationship = NO_RELATIONSHIP,
  mailboxHost: MailboxHost = "other",
) => {
  const m = message(msg);
  const ctx = context({ relationship, mailboxAddress: ME, mailboxHost });
  return (await analyzeMessage(m, ctx, noKey, atEmailDate(m))).analysis;
};
const stranger = (address: string, name = "Awa Sy") => ({
  from: { name, address },
  headers: auth(address.split("@")[1] ?? ""),
});

describe("an authenticated first contact", () => {
  it("who asks whether the owner can supply them is a prospect to answer", async () => {
    const prospect = await run({
      ...stranger("achats@kora-construction.example"),
      subject: "Projet de 60 villas à Assinie",
      text: "Bonjour,\n\nNous préparons un projet de 60 villas. Pourriez-vous nous fournir les menuiseries aluminium, livrées sur site ? Merci de nous dire sous quel délai.\n\nAwa Sy\nAcheteuse",
    });
    expect(prospect.priority).toBe("important");
  });

  it("who asks for a quote in trade terms (FOB, MOQ, in stock) is a prospect, not a seller", async () => {
    const rfq = await run({
      ...stranger("purchasing@nordic-nuts.example", "Lars Berg"),
      subject: "RFQ — cashew kernels W320",
      text: "Dear Sir,\n\nPlease quote your best price FOB Cotonou for 2 x 20' FCL of W320 kernels. What is your MOQ, and is the grade in stock for a January shipment?\n\nLars Berg\nPurchasing",
    });
    expect(rfq.priority).toBe("important");
  });

  it("who sells, with a price, a date and a question, is no alert", async () => {
    const pitch = await run({
      ...stranger("m.diallo@leadmakers.example"),
      subject: "Plus de clients en janvier ?",
      text: "Bonjour,\n\nPouvez-vous consacrer 15 minutes à un échange jeudi ? Formule à 450 000 FCFA par mois, valable jusqu'au 20 décembre : https://leadmakers.example/rdv?utm_source=mail\n\nMariam Diallo\nBusiness Development Manager",
    });
    expect(pitch.priority).not.toMatch(/critical|important/);
    expect(shown(pitch).reasons.join("\n")).toMatch(/Premier contact qui propose ses produits ou services/);
  });

  it("who bills the owner without any relationship is no alert, the same bill from a supplier is", async () => {
    const bill = {
      ...stranger("facturation@registre-pro.example", "Registre Pro"),
      subject: "Facture RP-88120",
      text: "Madame, Monsieur,\n\nVeuillez régler la facture RP-88120 de 295 000 FCFA avant le 15 décembre par virement.\n\nService facturation",
    };
    expect((await run(bill)).priority).toBe("informational");
    expect((await run(bill, KNOWN)).priority).toBe("important");
  });

  it("who sells posing as a reply or wanting the answer at a free-mail box is spam", async () => {
    const offer = {
      ...stranger("export@tiles-direct.example", "Linda"),
      subject: "Porcelain tiles — price for you",
      text: "Dear Manager,\n\nWe keep 4 containers of porcelain tiles at USD 6.20/m² FOB, valid until Friday. Please confirm the quantity today.\n\nLinda",
    };
    expect((await run(offer)).priority).toBe("informational");
    expect((await run({ ...offer, subject: `Re: ${offer.subject}` })).priority).toBe("spam");
    const elsewhere = { ...offer, replyTo: [{ name: null, address: "tiles.direct@yahoo.com" }] };
    expect((await run(elsewhere)).priority).toBe("spam");
  });

  it("reads a salesperson's signature and campaign links as the seller's shape", () => {
    const m = message({
      text: "Bonjour,\n\nNous serions ravis d'échanger.\n\nJean Kouassi\nChargé d'affaires grands comptes\nhttps://a.example https://b.example https://c.example",
    });
    const s = computeSignals(m, context(), new Date(m.date));
    expect(s.solicitation).toMatchObject({ salesRole: true, links: 3 });
    const buyer = message({
      text: "Can you supply 2,000 m² of tiles to Accra? Please send your price list.",
    });
    expect(computeSignals(buyer, context(), new Date(buyer.date)).solicitation.buyer).toBeGreaterThan(0);
  });
});

describe("the owner in copy", () => {
  const report = {
    from: { name: "Hervé", address: "h.kouadio@sahel-negoce.ci" },
    headers: auth("sahel-negoce.ci"),
    to: [{ name: null, address: "codir@sahel-negoce.ci" }],
    subject: "Ventes de la semaine",
    text: "Bonsoir,\n\nCA facturé : 182 M FCFA, encaissements 140 M FCFA.\n\nHervé",
  };

  it("follows a report he is copied on, and is asked when he is named for a decision", async () => {
    expect((await run({ ...report, cc: [{ name: null, address: ME }] })).priority).toBe("informational");
    expect((await run({ ...report, to: [{ name: null, address: ME }] })).priority).toBe("important");
    const decision = await run({
      ...report,
      cc: [{ name: null, address: ME }],
      text: "Bonsoir,\n\nLe client demande un délai de 60 jours sur 182 M FCFA. Je mets la direction en copie pour décision.\n\nHervé",
    });
    expect(decision.priority).toBe("important");
  });
});

describe("the mailbox's own host", () => {
  const google = {
    from: { name: "Google", address: "no-reply@accounts.google.com" },
    headers: { ...auth("accounts.google.com"), "auto-submitted": "auto-generated" },
  };

  it("is trusted only for the mailbox it hosts, and only authenticated", () => {
    const m = message({ ...google, subject: "Alerte" });
    const tier = (host: MailboxHost, msg = m) =>
      trustTier(
        computeSignals(msg, context({ mailboxHost: host, relationship: NO_RELATIONSHIP }), new Date(m.date)),
      );
    expect(tier("google")).toBe("trusted");
    expect(tier("microsoft")).not.toBe("trusted");
    expect(tier("google", message({ ...google, headers: auth("accounts.google.com", "fail") }))).not.toBe(
      "trusted",
    );
    // google.com also relays what others write: a Drive share's note is the sharer's text.
    const share = message({
      from: { name: "Awa Sy (via Google Drive)", address: "drive-shares-dm-noreply@google.com" },
      headers: { ...auth("google.com"), "auto-submitted": "auto-generated" },
      subject: "Activité suspecte sur votre compte — document partagé avec vous",
    });
    expect(tier("google", share)).not.toBe("trusted");
  });

  it("makes someone else at the owner's account critical, his own new sign-in informational", async () => {
    const alert = await run(
      {
        ...google,
        subject: "Activité suspecte",
        text: "Une connexion inhabituelle à votre compte a eu lieu depuis un appareil inconnu. Sécurisez votre compte.",
      },
      NO_RELATIONSHIP,
      "google",
    );
    expect(alert.priority).toBe("critical");
    const own = await run(
      {
        ...google,
        subject: "Nouvelle connexion",
        text: "Nouvelle connexion à votre compte sur un Mac. Si c'était vous, vous n'avez rien à faire.",
      },
      NO_RELATIONSHIP,
      "google",
    );
    expect(own.priority).toBe("informational");
  });
});
