import type { Amount, Currency } from "@/lib/analysis/schema";

/*
 * Amounts as West-African business mail writes them: "15M FCFA", "1 250 000 F CFA",
 * "XOF 3.000.000", "12,5 milliards de francs CFA", "$2,500", "EUR 10.000,50". A number only
 * counts as money when a currency sits right before or after it (with an optional multiplier),
 * so dates, invoice numbers and phone numbers are never read as amounts.
 */

const NUMBER = String.raw`\d{1,3}(?:[ \u00A0\u202F.,']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?`;
const MULTIPLIER = "milliards?|mds?|billions?|bn|millions?|mio|mln|mn|m|mille|k";
const CURRENCY_AFTER = String.raw`f\.?\s?cfa|fcfa|francs?\s+cfa|cfa|xof|xaf|€|eur|euros?|usd|us\$|\$|dollars?|gbp|£|livres?\s+sterling|ngn|₦|naira|ghs|cedis?|gnf|francs?\s+guin[ée]ens|mad|dirhams?|cny|yuans?|f(?![\p{L}\d])`;
const CURRENCY_BEFORE = String.raw`fcfa|xof|xaf|eur|€|usd|us\$|\$|gbp|£|ngn|₦|ghs|gnf|mad|cny`;

const AFTER = new RegExp(
  String.raw`(?<![\p{L}\d.,])(${NUMBER})\s?(${MULTIPLIER})?\.?\s?(?:de\s+|d')?(${CURRENCY_AFTER})(?![\p{L}])`,
  "giu",
);
const BEFORE = new RegExp(
  String.raw`(?<![\p{L}\d])(${CURRENCY_BEFORE})\s?(${NUMBER})(?:\s?(${MULTIPLIER})(?![\p{L}]))?`,
  "giu",
);

function currencyOf(token: string): Currency {
  const t = token.toLowerCase().replace(/\s+/g, " ");
  if (t === "xaf") return "XAF";
  if (/cfa|xof|^f\.?$/.test(t)) return "XOF";
  if (/€|eur/.test(t)) return "EUR";
  if (/\$|usd|dollar/.test(t)) return "USD";
  if (/£|gbp|livre/.test(t)) return "GBP";
  if (/₦|ngn|naira/.test(t)) return "NGN";
  if (/ghs|cedi/.test(t)) return "GHS";
  if (/gnf|guin/.test(t)) return "GNF";
  if (/mad|dirham/.test(t)) return "MAD";
  return "CNY";
}

function factorOf(multiplier: string | undefined): number {
  const m = (multiplier ?? "").toLowerCase();
  if (!m) return 1;
  if (/^(milliards?|mds?|billions?|bn)$/.test(m)) return 1e9;
  if (/^(millions?|mio|mln|mn|m)$/.test(m)) return 1e6;
  return 1e3;
}

/**
 * Reads "1 250 000", "3.000.000", "10.000,50", "2,500", "12,5". A lone separator followed by
 * exactly three digits is a thousands separator unless a multiplier follows ("1,250 milliard").
 */
export function parseNumber(raw: string, hasMultiplier: boolean): number | null {
  const s = raw.replace(/[ \u00A0\u202F']/g, "");
  const lastDot = s.lastIndexOf(".");
  const lastComma = s.lastIndexOf(",");
  let normalized: string;
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? "." : ",";
    const thousands = decimal === "." ? "," : ".";
    normalized = s.split(thousands).join("").replace(decimal, ".");
  } else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? "." : ",";
    const parts = s.split(sep);
    const grouped = parts.length > 2 || (parts[1]?.length === 3 && !hasMultiplier);
    normalized = grouped ? parts.join("") : parts.join(".");
  } else {
    normalized = s;
  }
  const value = Number(normalized);
  return Number.isFinite(value) ? value : null;
}

type Found = Amount & { index: number };

function collect(text: string): Found[] {
  const found: Found[] = [];
  for (const m of text.matchAll(AFTER)) {
    const [, num = "", mult, cur = ""] = m;
    // A bare "F" is francs only after a sizeable figure ("500 000 F"), never "2 F" or "Bâtiment F".
    const base = parseNumber(num, Boolean(mult));
    if (base === null) continue;
    const value = base * factorOf(mult);
    if (/^f$/i.test(cur) && (value < 1000 || mult)) continue;
    found.push({ value, currency: currencyOf(cur), index: m.index });
  }
  for (const m of text.matchAll(BEFORE)) {
    const [, cur = "", num = "", mult] = m;
    const base = parseNumber(num, Boolean(mult));
    if (base === null) continue;
    found.push({ value: base * factorOf(mult), currency: currencyOf(cur), index: m.index });
  }
  return found;
}

/** Distinct amounts in order of appearance (at most 10). */
export function extractAmounts(text: string): Amount[] {
  const seen = new Set<string>();
  const out: Amount[] = [];
  for (const f of collect(text).sort((a, b) => a.index - b.index)) {
    const value = Math.round(f.value * 100) / 100;
    if (value <= 0) continue;
    const key = `${f.currency}:${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ value, currency: f.currency });
    if (out.length === 10) break;
  }
  return out;
}

/** Rough XOF equivalent, to tell a 5,000 FCFA receipt from a 50M FCFA contract. */
const XOF_RATE: Record<Currency, number> = {
  XOF: 1,
  XAF: 1,
  EUR: 655.957,
  USD: 600,
  GBP: 760,
  NGN: 0.4,
  GHS: 40,
  GNF: 0.07,
  MAD: 60,
  CNY: 85,
};

export function largestInXof(amounts: Amount[]): number {
  return amounts.reduce((max, a) => Math.max(max, a.value * XOF_RATE[a.currency]), 0);
}
