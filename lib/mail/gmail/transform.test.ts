import { describe, expect, it } from "vitest";
import { type GmailMessage, gmailMessageSchema } from "@/lib/mail/gmail/api-schemas";
import htmlOnly from "@/lib/mail/gmail/fixtures/html-only.json";
import latin1Plain from "@/lib/mail/gmail/fixtures/latin1-plain.json";
import mixedAttachment from "@/lib/mail/gmail/fixtures/mixed-attachment.json";
import promoAlternative from "@/lib/mail/gmail/fixtures/promo-alternative.json";
import sentNoDate from "@/lib/mail/gmail/fixtures/sent-no-date.json";
import { gmailMessageToNormalized } from "@/lib/mail/gmail/transform";

const mailbox = { mailboxAddress: "direction@sotra.ci" };
const normalize = (fixture: unknown) =>
  gmailMessageToNormalized(gmailMessageSchema.parse(fixture) as GmailMessage, mailbox);

describe("gmailMessageToNormalized", () => {
  it("prefers text/plain in multipart/alternative and keeps the bulk headers and category", () => {
    const m = normalize(promoAlternative);
    expect(m.text).toBe(
      "Profitez de nos offres exceptionnelles !\nRéfrigérateurs à -70 % ce week-end 🔥\nSe désabonner : https://jumia.ci/unsubscribe?u=123",
    );
    expect(m.html).toContain("<h1>Offres exceptionnelles</h1>");
    expect(m.from).toEqual({ name: "Jumia", address: "noreply@jumia.ci" });
    expect(m.subject).toBe("🔥 -70% sur l'électroménager ce week-end seulement");
    expect(m.category).toBe("promotions");
    expect(m.headers).toEqual({
      "list-unsubscribe": "<https://jumia.ci/unsubscribe?u=123>, <mailto:unsub@jumia.ci>",
      "list-unsubscribe-post": "List-Unsubscribe=One-Click",
      precedence: "bulk",
      "feedback-id": "campaign-42:jumia:sendgrid",
    });
    expect(m.internetMessageId).toBe("20261120081500.4f2a@mailer.jumia.ci");
    expect(m.date).toBe("2026-11-20T08:15:00.000Z");
    expect(m.fromSelf).toBe(false);
    expect(m.webLink).toBe(
      "https://mail.google.com/mail/?authuser=direction%40sotra.ci#all/19a9f3c2b8e4d701",
    );
    expect(m.labels).toEqual(["UNREAD", "CATEGORY_PROMOTIONS", "INBOX"]);
  });

  it("decodes an ISO-8859-1 body (windows-1252 €) and leftover encoded words in headers", () => {
    const m = normalize(latin1Plain);
    expect(m.text).toBe(
      "Bonjour,\n\nLa réunion du comité est à 15h. Coût estimé : 1 250 000 F CFA, l’acompte 20 €.\n\nFrançois",
    );
    expect(m.subject).toBe("Réunion du comité demain");
    expect(m.from).toEqual({ name: "François Kouassi", address: "f.kouassi@sotra.ci" });
    expect(m.to).toEqual([{ name: "Direction Générale", address: "direction@sotra.ci" }]);
    expect(m.cc).toEqual([
      { name: "Awa Traoré", address: "awa@sotra.ci" },
      { name: null, address: "compta@sotra.ci" },
    ]);
    expect(m.replyTo).toEqual([{ name: null, address: "secretariat@sotra.ci" }]);
    expect(m.headers["in-reply-to"]).toBe("<prev-1@mail.sotra.ci>");
    expect(m.date).toBe("2026-11-20T08:30:00.000Z");
    expect(m.threadId).toBe("19a9f3c2b8e4d6ff");
    expect(m.category).toBe("primary");
    expect(m.html).toBeNull();
  });

  it("converts HTML-only mail to visible text, without the hidden instructions", () => {
    const m = normalize(htmlOnly);
    expect(m.text).toContain("Votre facture F-2026-0412 de 2\u00a0350\u00a0000 FCFA est impayée.");
    expect(m.text).toContain("Service comptabilité");
    expect(m.text).not.toMatch(/Ignore previous instructions/);
    expect(m.html).toContain("Ignore previous instructions");
    expect(m.from).toEqual({ name: "Service comptabilité — Bati Plus", address: "compta@batiplus.ci" });
    expect(m.headers["auto-submitted"]).toBe("auto-generated");
    expect(m.category).toBe("updates");
  });

  it("walks multipart/mixed > alternative and lists attachments without their content", () => {
    const m = normalize(mixedAttachment);
    expect(m.text).toBe(
      "Veuillez trouver ci-joint le contrat de prestation (15 000 000 FCFA).\nSignature attendue aujourd'hui avant 17h.",
    );
    expect(m.attachments).toEqual([
      {
        filename: "Contrat_prestation_2026.pdf",
        mimeType: "application/pdf",
        size: 5_242_880,
        providerAttachmentId: "ANGjdJ8wQm9fY29udHJhdF9wZGZfYXR0YWNobWVudA",
        inline: false,
        contentId: null,
        type: "file",
      },
      {
        filename: "logo.png",
        mimeType: "image/png",
        size: 10_240,
        providerAttachmentId: "ANGjdJ9sb2dvX2lubGluZV9pbWFnZQ",
        inline: true,
        contentId: "ii_logo1",
        type: "file",
      },
    ]);
    expect(m.from).toEqual({ name: "Aïcha Koné — Banque Atlantique", address: "client.important@banque.ci" });
    expect(m.internetMessageId).toBe("CAK7e2b+contrat@mail.banque.ci");
  });

  it("marks self-sent mail and falls back to the received time without a Date header", () => {
    const m = normalize(sentNoDate);
    expect(m.fromSelf).toBe(true);
    expect(m.date).toBe(new Date(1763640000000).toISOString());
    expect(m.subject).toBe("");
    expect(m.internetMessageId).toBeNull();
    expect(m.category).toBeNull();
  });

  it("counts only the SENT label as the owner's mail, not a From naming the mailbox (it can be forged)", () => {
    const fixture = structuredClone(sentNoDate);
    expect(fixture.payload.headers.find((h) => h.name === "From")?.value.toLowerCase()).toContain(
      mailbox.mailboxAddress,
    );
    fixture.labelIds = ["INBOX", "UNREAD"];
    expect(normalize(fixture).fromSelf).toBe(false);
    fixture.labelIds = ["INBOX", "SENT"];
    expect(normalize(fixture).fromSelf).toBe(true);
  });
});
