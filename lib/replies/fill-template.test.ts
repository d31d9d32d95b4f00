import { describe, expect, it } from "vitest";
import { fillTemplate, unknownPlaceholders } from "@/lib/replies/fill-template";

const ctx = {
  fromName: "Awa Koné",
  fromAddress: "awa@banque.ci",
  subject: "Contrat 15M",
  deadline: new Date("2026-12-03T17:00:00Z"),
  locale: "fr" as const,
  timeZone: "Africa/Abidjan",
};

describe("fillTemplate", () => {
  it("fills the first name, the subject and the deadline", () => {
    const filled = fillTemplate("Bonjour {prénom}, pour « {sujet} » : avant {échéance}.", ctx);
    expect(filled).toEqual({
      ok: true,
      text: "Bonjour Awa, pour « Contrat 15M » : avant jeudi 3 décembre à 17:00.",
    });
  });

  it("takes the English spellings and writes English dates", () => {
    const filled = fillTemplate("Hello {first_name}, before {deadline}.", { ...ctx, locale: "en" });
    expect(filled).toEqual({ ok: true, text: "Hello Awa, before Thursday 3 December at 17:00." });
  });

  it("leaves out a first name it does not know", () => {
    expect(fillTemplate("Bonjour {prénom},\n\nBien reçu.", { ...ctx, fromName: null })).toEqual({
      ok: true,
      text: "Bonjour,\n\nBien reçu.",
    });
    expect(fillTemplate("Bonjour {prénom},", { ...ctx, fromName: "service.client@banque.ci" })).toEqual({
      ok: true,
      text: "Bonjour,",
    });
  });

  it("refuses a deadline placeholder for an email without a deadline", () => {
    expect(fillTemplate("Avant {échéance}.", { ...ctx, deadline: null })).toEqual({
      ok: false,
      missing: ["deadline"],
    });
  });

  it("names placeholders it does not know", () => {
    expect(unknownPlaceholders("Bonjour {prénom} {montant} {Sujet}")).toEqual(["montant"]);
  });
});
