import { catalogues, type Locale } from "@/lib/i18n/catalogue";

/** Whether the web catalogue has a message at a dotted path (for keys that come from a URL). */
export function hasWebMessage(locale: Locale, path: string): boolean {
  let node: unknown = catalogues[locale].web;
  for (const part of path.split(".")) {
    if (typeof node !== "object" || node === null || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string";
}
