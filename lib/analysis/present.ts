import type { AnalysisContext } from "@/lib/analysis/context";
import type { Amount, Localized, TextParam, TextRef } from "@/lib/analysis/schema";
import { LOCALES, type Locale, translator } from "@/lib/i18n/catalogue";
import { numberFormat } from "@/lib/i18n/intl-formats";

/** The `analysis` catalogue in the recipient's language and time zone. */
export function analysisText(ctx: Pick<AnalysisContext, "locale" | "timeZone">) {
  return translator(ctx.locale, "analysis", ctx.timeZone);
}
export type AnalysisText = ReturnType<typeof analysisText>;

/** "15 000 000 FCFA", "$2,500.00", "10 000,50 €". */
export function formatAmount(amount: Amount, locale: Locale): string {
  if (amount.currency === "XOF" || amount.currency === "XAF") {
    return `${numberFormat(locale, { maximumFractionDigits: 0 }).format(amount.value)} FCFA`;
  }
  return numberFormat(locale, { style: "currency", currency: amount.currency }).format(amount.value);
}

/** The same text built once per language, each with its own catalogue and number formats. */
export function inBothLanguages(
  timeZone: string,
  build: (t: AnalysisText, locale: Locale) => string,
): Localized {
  const [fr, en] = LOCALES.map((locale) => build(analysisText({ locale, timeZone }), locale));
  return { fr: fr ?? "", en: en ?? "" };
}

/** A catalogue sentence to store: `ref("reason.amount", { amount: { amount } })`. */
export function ref(key: string, params?: Record<string, TextParam>): TextRef {
  return params ? { key, params } : { key };
}

function isLocalized(p: object): p is Localized {
  return "fr" in p && "en" in p;
}

function paramValue(p: TextParam, t: AnalysisText, locale: Locale): string | number | Date {
  if (typeof p === "string" || typeof p === "number") return p;
  if ("key" in p) return t(p.key);
  if ("keys" in p) return p.keys.map((k) => t(k)).join(", ");
  if ("amount" in p) return formatAmount(p.amount, locale);
  if ("date" in p) return new Date(p.date);
  return isLocalized(p) ? p[locale] : "";
}

/**
 * A stored sentence in one reader's language and time zone. Rows written before sentences were
 * stored as keys hold plain strings: they are shown as they are.
 */
export function renderText(text: TextRef | string, locale: Locale, timeZone: string): string {
  if (typeof text === "string") return text;
  const t = analysisText({ locale, timeZone });
  const values: Record<string, string | number | Date> = {};
  for (const [name, p] of Object.entries(text.params ?? {})) values[name] = paramValue(p, t, locale);
  try {
    return t(text.key, values);
  } catch {
    // A key from a later version of the catalogue (or a hand-edited row): its plain text beats a crash.
    return text.key;
  }
}

/** Deadline reason: the instant, written in each reader's zone ("Échéance : ven. 20 nov., 17:00"). */
export function deadlineReason(deadline: string): TextRef {
  return ref("reason.deadline", { deadline: { date: deadline } });
}
