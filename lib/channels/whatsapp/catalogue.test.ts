import { describe, expect, it } from "vitest";
import { translator } from "@/lib/i18n/catalogue";
import en from "@/lib/i18n/messages/en/whatsapp.json";
import fr from "@/lib/i18n/messages/fr/whatsapp.json";

function keys(messages: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(messages).flatMap(([k, v]) =>
    typeof v === "string" ? [`${prefix}${k}`] : keys(v as Record<string, unknown>, `${prefix}${k}.`),
  );
}

/** ICU arguments (`{name}`, `{count, plural, …}`), not the text of plural branches (`one {Montant}`). */
const placeholders = (message: string) =>
  [...message.matchAll(/(?<!(?:zero|one|two|few|many|other|=\d+)\s*)\{(\w+)\s*[},]/g)]
    .map((m) => m[1])
    .sort();

describe("whatsapp catalogue", () => {
  it("has the same keys in French (the reference) and English", () => {
    expect(keys(en).sort()).toEqual(keys(fr).sort());
  });

  it("uses the same placeholders in both languages", () => {
    const get = (messages: Record<string, unknown>, key: string) =>
      key
        .split(".")
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages) as string;
    for (const key of keys(fr)) expect(placeholders(get(en, key)), key).toEqual(placeholders(get(fr, key)));
  });

  it("compiles every message", () => {
    const values = {
      emoji: "🔴",
      label: "L",
      subject: "S",
      sender: "s",
      summary: "s",
      when: "w",
      count: 2,
      amounts: "a",
    };
    for (const locale of ["fr", "en"] as const) {
      const t = translator(locale, "whatsapp");
      for (const key of keys(fr)) {
        const out = t(key, {
          ...values,
          action: "a",
          warning: "w",
          actions: "a",
          name: "n",
          time: "t",
          date: "d",
          mailbox: "m",
          phone: "p",
          url: "u",
          code: "c",
          p1: "1",
          p2: "2",
          p3: "3",
          p4: "4",
          since: new Date("2026-12-01T10:42:00Z"),
        });
        expect(out, `${locale}:${key}`).not.toContain("whatsapp.");
        expect(out, `${locale}:${key}`).not.toMatch(/\{\w+\}/);
      }
    }
  });
});
