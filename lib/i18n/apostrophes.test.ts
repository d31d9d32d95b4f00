import { describe, expect, it } from "vitest";
import { catalogues, LOCALES } from "@/lib/i18n/catalogue";

/** Every message of a catalogue with its dotted key. */
function leaves(node: unknown, prefix = ""): [string, string][] {
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return typeof v === "string" ? [[key, v] as [string, string]] : leaves(v, key);
  });
}

/*
 * One apostrophe style: the typographic ’ in prose ("l’expéditeur", "the sender’s"). A straight '
 * between two letters is a typewriter apostrophe that slipped in; a straight ' elsewhere is ICU's
 * quoting ('{prénom}' shows the braces) and stays.
 */
describe("message catalogues", () => {
  for (const locale of LOCALES)
    it(`write the apostrophe ’ in ${locale} prose, never '`, () => {
      const straight = Object.entries(catalogues[locale]).flatMap(([namespace, messages]) =>
        leaves(messages, namespace)
          .filter(([, text]) => /\p{L}'\p{L}/u.test(text))
          .map(([key, text]) => `${key}: ${text}`),
      );
      expect(straight).toEqual([]);
    });

  it("still quote ICU braces with the straight ' (a ’ there would not quote)", () => {
    const quoted = leaves(catalogues.fr.replies, "replies").filter(([, t]) => t.includes("'{"));
    expect(quoted.length).toBeGreaterThan(0);
    for (const [, text] of quoted) expect(text).not.toMatch(/’\{/);
  });
});
