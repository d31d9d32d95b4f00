import { describe, expect, it } from "vitest";
import { renderDigest } from "@/lib/channels/whatsapp/render-digest";

const date = new Date("2026-11-24T18:00:00Z");
const items = Array.from({ length: 13 }, (_, i) => ({
  priority: i === 0 ? ("important" as const) : ("informational" as const),
  subject: `Lettre n°${i + 1}`,
  from: `news${i}@cci.ci`,
}));

describe("renderDigest", () => {
  it("lists counts per priority and up to 10 items in one message (fr)", () => {
    const digest = renderDigest({
      locale: "fr",
      timeZone: "Africa/Abidjan",
      date,
      counts: { critical: 1, important: 1, informational: 12, spam: 0 },
      items,
    });
    const lines = digest.body.split("\n");
    expect(lines[0]).toBe("📊 *Résumé du mardi 24 novembre*");
    expect(lines[1]).toBe("🔴 1 critique · 🟡 1 important · 🔵 12 informatifs");
    expect(lines.filter((l) => / — news\d+@cci\.ci$/.test(l))).toHaveLength(10);
    expect(lines[3]).toBe("🟡 Lettre n°1 — news0@cci.ci");
    expect(lines.at(-1)).toBe("… et 3 autres dans l’application.");
    expect(digest).toMatchSnapshot();
  });

  it("uses the recipient's calendar day and English plurals", () => {
    const digest = renderDigest({
      locale: "en",
      timeZone: "Asia/Tokyo", // already the 25th there
      date,
      counts: { critical: 0, important: 2, informational: 1, spam: 5 },
      items: items.slice(0, 2),
    });
    expect(digest.body.split("\n").slice(0, 2)).toEqual([
      "📊 *Summary for Wednesday 25 November*",
      "🟡 2 important · 🔵 1 informational · ⚪ 5 spam",
    ]);
    expect(digest.body).not.toContain("more in the app");
  });

  it("says when nothing arrived and escapes item text", () => {
    const empty = renderDigest({
      locale: "fr",
      timeZone: "Africa/Abidjan",
      date,
      counts: { critical: 0, important: 0, informational: 0, spam: 0 },
      items: [],
    });
    expect(empty.body).toBe("📊 *Résumé du mardi 24 novembre*\nAucun nouvel e-mail aujourd’hui");
    expect(empty.templateParams).toEqual(["mardi 24 novembre", "Aucun nouvel e-mail aujourd’hui", "—"]);
    const hostile = renderDigest({
      locale: "fr",
      timeZone: "Africa/Abidjan",
      date,
      counts: { critical: 0, important: 0, informational: 1, spam: 0 },
      items: [{ priority: "informational", subject: "*Promo* sur https://shop.ci", from: "Boutique _X_" }],
    });
    expect(hostile.body).toContain("🔵 ∗Promo∗ sur shop[.]ci — Boutique ˍXˍ");
  });

  it("gives one-line template parameters", () => {
    const digest = renderDigest({
      locale: "fr",
      timeZone: "Africa/Abidjan",
      date,
      counts: { critical: 0, important: 1, informational: 12, spam: 0 },
      items,
    });
    expect(digest.templateParams).toHaveLength(3);
    for (const p of digest.templateParams) expect(p).not.toMatch(/[\n\t]/);
  });
});
