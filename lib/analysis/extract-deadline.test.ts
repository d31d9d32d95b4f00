import { describe, expect, it } from "vitest";
import { daysUntil, extractDeadline } from "@/lib/analysis/extract-deadline";
import { detectLanguage } from "@/lib/analysis/language";

// Friday 20 November 2026, 08:15 in Abidjan (UTC+0).
const reference = new Date("2026-11-20T08:15:00Z");
const abidjan = (text: string) => extractDeadline(text, { reference, timeZone: "Africa/Abidjan" });

describe("extractDeadline", () => {
  it.each([
    ["Merci de signer avant aujourd'hui 17h.", "2026-11-20T17:00:00+00:00"],
    ["Réponse attendue avant demain midi.", "2026-11-21T12:00:00+00:00"],
    // The day before the time: one deadline, in French and in English (whatever the language guess).
    [
      "La signature doit nous parvenir demain avant 17h, faute de quoi l'offre sera annulée.",
      "2026-11-21T17:00:00+00:00",
    ],
    [
      "The signature must reach us tomorrow before 5 pm, otherwise the offer lapses.",
      "2026-11-21T17:00:00+00:00",
    ],
    ["Please reply by 10:30 tomorrow.", "2026-11-21T10:30:00+00:00"],
    ["Date limite : le 30 novembre.", "2026-11-30T23:59:00+00:00"],
    ["Sans ce document avant 15h, des frais s'appliquent.", "2026-11-20T15:00:00+00:00"],
    ["Remise des offres au plus tard le 12/12/2026 à 10h.", "2026-12-12T10:00:00+00:00"],
    ["Appelez-moi demain 9h.", "2026-11-21T09:00:00+00:00"],
    ["Merci de nous répondre d'ici fin de journée.", "2026-11-20T18:00:00+00:00"],
    ["Réponse sous 48 heures.", "2026-11-22T08:15:00+00:00"],
    ["Please send it today 5pm.", "2026-11-20T17:00:00+00:00"],
    ["Please sign by tomorrow noon.", "2026-11-21T12:00:00+00:00"],
    ["Please confirm by Monday.", "2026-11-23T23:59:00+00:00"],
    ["Deadline: December 5, 2026.", "2026-12-05T23:59:00+00:00"],
    ["We need it by end of day.", "2026-11-20T18:00:00+00:00"],
    ["Avant le 15 janvier, merci.", "2027-01-15T23:59:00+00:00"],
    // A subject ending on its deadline, then the body: the line break is not part of the time.
    ["Contrat — signature demain avant 17h\nBonjour,", "2026-11-21T17:00:00+00:00"],
    ["Signature demain avant 17h\n\nMerci.", "2026-11-21T17:00:00+00:00"],
  ])("%s", (text, expected) => {
    expect(abidjan(text)).toBe(expected);
  });

  it("ignores dates that are not deadlines or are already past", () => {
    expect(abidjan("Facture du 3 novembre, échue le 5 novembre.")).toBeNull();
    expect(abidjan("Nous avons reçu aujourd'hui votre colis.")).toBeNull();
    expect(abidjan("Merci pour votre appel de lundi.")).toBeNull();
    expect(abidjan("Je suis absent jusqu'au 30 novembre.")).toBeNull();
  });

  it("reads no deadline into phone numbers, call cues, urgency words, adverts and datelines", () => {
    expect(abidjan("Call 1-800-555-0199 today for a free quote.")).toBeNull();
    expect(abidjan("Merci de me rappeler au 07 58 22 19 03.")).toBeNull();
    expect(abidjan("Tél. : +225 27 20 31 44 10")).toBeNull();
    expect(abidjan("Call today and save 20%.")).toBeNull();
    expect(abidjan("Order now, stocks are limited!")).toBeNull();
    expect(abidjan("Your account will be suspended within 24 hours.")).toBeNull();
    expect(abidjan("Market update for December 10")).toBeNull();
    expect(abidjan("Édition du 10 décembre : les marchés en bref")).toBeNull();
    // A cue must sit next to the date, not somewhere earlier in the sentence.
    expect(
      abidjan("Avant tout, merci pour la réunion très productive que nous avons eue le 25 novembre."),
    ).toBeNull();
  });

  it("keeps the real ones next to those traps", () => {
    expect(abidjan("Merci de régler sous 48 h.")).toBe("2026-11-22T08:15:00+00:00");
    expect(abidjan("Rappelez-moi au 07 58 22 19 03 avant 15h.")).toBe("2026-11-20T15:00:00+00:00");
    expect(abidjan("Please reply for Friday.")).toBe("2026-11-20T23:59:00+00:00");
  });

  it("picks the earliest deadline of several", () => {
    expect(abidjan("Documents avant le 30 novembre ; signature demain à 10h.")).toBe(
      "2026-11-21T10:00:00+00:00",
    );
  });

  it("resolves in the recipient's time zone and writes its offset", () => {
    expect(extractDeadline("signature avant 17h aujourd'hui", { reference, timeZone: "Africa/Lagos" })).toBe(
      "2026-11-20T17:00:00+01:00",
    );
    // 00:30 in Lagos is already the 21st there: "aujourd'hui" is the recipient's today.
    const lateUtc = new Date("2026-11-20T23:30:00Z");
    expect(extractDeadline("avant aujourd'hui 17h", { reference: lateUtc, timeZone: "Africa/Lagos" })).toBe(
      "2026-11-21T17:00:00+01:00",
    );
  });

  it("counts calendar days in the recipient's zone", () => {
    expect(daysUntil("2026-11-20T23:59:00+00:00", reference, "Africa/Abidjan")).toBe(0);
    expect(daysUntil("2026-11-21T09:00:00+00:00", reference, "Africa/Abidjan")).toBe(1);
  });
});

describe("detectLanguage", () => {
  it("tells French from English and gives up on a word", () => {
    expect(detectLanguage("Bonjour, veuillez trouver ci-joint la facture du mois.")).toBe("fr");
    expect(detectLanguage("Please find attached the invoice for October.")).toBe("en");
    expect(detectLanguage("ok")).toBeNull();
  });
});
