import { tz } from "@date-fns/tz";
import { differenceInCalendarDays } from "date-fns";
import type { Locale } from "@/lib/i18n/catalogue";
import { dateTimeFormat, numberFormat } from "@/lib/i18n/intl-formats";

/** Côte d'Ivoire French and British English: 24-hour clock and day-month order, as readers there expect. */
export const INTL_LOCALE: Record<Locale, string> = { fr: "fr-CI", en: "en-GB" };

export function isTimeZone(value: string): boolean {
  try {
    dateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export function formatTime(at: Date, locale: Locale, timeZone: string): string {
  return dateTimeFormat(INTL_LOCALE[locale], {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(at);
}

/** "lundi 24 novembre" / "Monday 24 November" in the recipient's time zone. */
export function formatDay(at: Date, locale: Locale, timeZone: string): string {
  return dateTimeFormat(INTL_LOCALE[locale], {
    weekday: "long",
    day: "numeric",
    month: "long",
    timeZone,
  }).format(at);
}

export type RelativeDay =
  | { day: "yesterday" | "today" | "tomorrow"; time: string }
  | { day: "date"; text: string };

/**
 * Where `at` falls relative to `now` in the recipient's calendar: yesterday, today, tomorrow, or
 * a full date (with the year only when it differs).
 */
export function relativeDay(at: Date, now: Date, locale: Locale, timeZone: string): RelativeDay {
  const days = differenceInCalendarDays(at, now, { in: tz(timeZone) });
  const time = formatTime(at, locale, timeZone);
  if (days === 0) return { day: "today", time };
  if (days === 1) return { day: "tomorrow", time };
  if (days === -1) return { day: "yesterday", time };
  const sameYear =
    dateTimeFormat("en", { year: "numeric", timeZone }).format(at) ===
    dateTimeFormat("en", { year: "numeric", timeZone }).format(now);
  const text = dateTimeFormat(INTL_LOCALE[locale], {
    weekday: "short",
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(at);
  return { day: "date", text };
}

/** The CFA franc is written "FCFA" in the region, whatever the email or the model called it. */
const CFA = /^(?:XOF|XAF|F\s?CFA|FCFA|CFA)$/i;

/**
 * "15 000 000 FCFA" / "15,000,000 FCFA", "1 250 €", "$1,250.50". A currency that is not an ISO code
 * is written after the number as given (the caller escapes it).
 */
/** "15 M FCFA" / "15M FCFA": an amount in CFA francs at a glance (the CRM key-client line). */
export function formatCompactFcfa(value: number, locale: Locale): string {
  // en-GB writes millions "15m"; the plain English compact form ("15M") is what FCFA readers use.
  const intl = locale === "en" ? "en" : INTL_LOCALE[locale];
  return `${numberFormat(intl, { notation: "compact", maximumFractionDigits: 1 }).format(value)} FCFA`;
}

export function formatAmount(amount: { value: number; currency: string }, locale: Locale): string {
  const intl = INTL_LOCALE[locale];
  const digits = Number.isInteger(amount.value) ? 0 : 2;
  const currency = amount.currency.trim();
  if (CFA.test(currency)) {
    return `${numberFormat(intl, { maximumFractionDigits: digits }).format(amount.value)} FCFA`;
  }
  if (/^[A-Z]{3}$/i.test(currency)) {
    try {
      return numberFormat(intl, {
        style: "currency",
        currency: currency.toUpperCase(),
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(amount.value);
    } catch {
      // Not a currency Intl knows: fall through to "number code".
    }
  }
  const number = numberFormat(intl, { maximumFractionDigits: 2 }).format(amount.value);
  return currency ? `${number} ${currency}` : number;
}
