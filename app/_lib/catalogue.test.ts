import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasWebMessage } from "@/app/_lib/messages";
import { catalogues, LOCALES, translator } from "@/lib/i18n/catalogue";

function leaves(node: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

/** ICU arguments of a message ({name}, {count, plural, …}), sorted; branch texts start upper-case. */
function argumentsOf(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*([a-z][a-zA-Z]*)\s*[,}]/g)].map((m) => m[1]!))].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !name.endsWith(".test.ts") ? [full] : [];
  });
}

const fr = leaves(catalogues.fr.web);
const en = leaves(catalogues.en.web);

describe("web catalogue", () => {
  it("has the same keys in French and English", () => {
    expect([...en.keys()].sort()).toEqual([...fr.keys()].sort());
  });

  it("uses the same ICU arguments in both languages", () => {
    for (const [key, message] of fr)
      expect(argumentsOf(en.get(key) ?? ""), key).toEqual(argumentsOf(message));
  });

  it("has every literal key the pages use, in both languages", () => {
    const root = path.resolve(__dirname, "..");
    const missing: string[] = [];
    for (const file of sourceFiles(root)) {
      const source = readFileSync(file, "utf8");
      const clientScoped = /useTranslations\("client(?:\.([a-zA-Z]+))?"\)/.exec(source);
      for (const m of source.matchAll(/\bt\("([a-zA-Z0-9_.-]+)"/g)) {
        const key = clientScoped ? `client.${clientScoped[1] ? `${clientScoped[1]}.` : ""}${m[1]}` : m[1]!;
        for (const locale of LOCALES)
          if (!hasWebMessage(locale, key)) missing.push(`${locale}:${key} (${path.relative(root, file)})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("formats every message in both languages without error", () => {
    for (const locale of LOCALES) {
      const t = translator(locale, "web");
      for (const [key, message] of leaves(catalogues[locale].web)) {
        const values = Object.fromEntries(
          argumentsOf(message).map((a) => [a, a === "count" || a === "days" || a === "minutes" ? 2 : "x"]),
        );
        expect(() => t(key, values), `${locale}:${key}`).not.toThrow();
      }
    }
  });
});
