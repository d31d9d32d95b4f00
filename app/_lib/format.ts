import { formatAmount, INTL_LOCALE, relativeDay } from "@/lib/channels/format-values";
import type { Locale } from "@/lib/i18n/catalogue";
import { dateTimeFormat, numberFormat } from "@/lib/i18n/intl-formats";

/** The same FCFA/currency format as the WhatsApp alerts, so the app and the phone agree. */
export { formatAmount };

/** "24 nov. 2026, 14:05" / "24 Nov 2026, 14:05" in the organization's time zone. */
export function formatDateTime(at: Date, locale: Locale, timeZone: string): string {
  return dateTimeFormat(INTL_LOCALE[locale], {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(at);
}

/** A deadline relative to now: { key: "today", time } etc., or a full date. */
export function describeDeadline(at: Date, now: Date, locale: Locale, timeZone: string) {
  return relativeDay(at, now, locale, timeZone);
}

export function formatPercent(share: number, locale: Locale): string {
  return numberFormat(INTL_LOCALE[locale], { style: "percent", maximumFractionDigits: 0 }).format(share);
}

export function formatNumber(value: number, locale: Locale): string {
  return numberFormat(INTL_LOCALE[locale], { maximumFractionDigits: 1 }).format(value);
}

/** Seconds as hours, minutes and seconds with the locale's unit names ("1 h 5 min", "42 s"). */
export function formatDuration(totalSeconds: number, locale: Locale): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const unit = (value: number, u: "hour" | "minute" | "second") =>
    numberFormat(INTL_LOCALE[locale], { style: "unit", unit: u, unitDisplay: "short" }).format(value);
  const parts: string[] = [];
  if (h > 0) parts.push(unit(h, "hour"));
  if (m > 0) parts.push(unit(m, "minute"));
  if (s > 0 && h === 0) parts.push(unit(s, "second"));
  return parts.length > 0 ? parts.join(" ") : unit(0, "second");
}

/** Minutes after midnight ⇄ "HH:MM" for <input type="time">. */
export function minutesToTime(minutes: number | null): string {
  if (minutes === null) return "";
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

export function timeToMinutes(value: string | null | undefined): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec((value ?? "").trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}
