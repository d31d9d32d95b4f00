import { describe, expect, it } from "vitest";
import { KEYWORD_GROUPS } from "@/lib/analysis/keywords";
import { actionKindSchema, categorySchema, PRIORITIES } from "@/lib/analysis/schema";
import en from "@/lib/i18n/messages/en/analysis.json";
import fr from "@/lib/i18n/messages/fr/analysis.json";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("analysis catalogues", () => {
  it("have the same keys in French and English", () => {
    expect(keys(en).sort()).toEqual(keys(fr).sort());
  });

  it("name every priority, category, action and keyword group", () => {
    const all = new Set(keys(fr));
    for (const p of PRIORITIES) expect(all).toContain(`priority.${p}`);
    for (const c of categorySchema.options) expect(all).toContain(`category.${c}`);
    for (const a of actionKindSchema.options) expect(all).toContain(`action.${a}`);
    for (const g of KEYWORD_GROUPS) expect(all).toContain(`group.${g.id}`);
  });
});
