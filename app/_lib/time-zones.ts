import { INTL_LOCALE } from "@/lib/channels/format-values";
import type { Locale } from "@/lib/i18n/catalogue";
import { dateTimeFormat } from "@/lib/i18n/intl-formats";

/** The zones our customers are in first (West and Central Africa), then a few others they deal with. */
export const TIME_ZONES = [
  "Africa/Abidjan",
  "Africa/Dakar",
  "Africa/Bamako",
  "Africa/Ouagadougou",
  "Africa/Conakry",
  "Africa/Lome",
  "Africa/Accra",
  "Africa/Porto-Novo",
  "Africa/Lagos",
  "Africa/Niamey",
  "Africa/Douala",
  "Africa/Libreville",
  "Africa/Kinshasa",
  "Africa/Casablanca",
  "Africa/Tunis",
  "Europe/Paris",
  "Europe/London",
  "America/New_York",
  "UTC",
] as const;

/** The list, with the current value first if it is not one of ours (it stays selectable). */
export function timeZoneOptions(current: string): string[] {
  return (TIME_ZONES as readonly string[]).includes(current) ? [...TIME_ZONES] : [current, ...TIME_ZONES];
}

/**
 * A zone as people name it: its city from the IANA id (underscores as spaces) and its abbreviation
 * or offset now, from Intl — "Abidjan (GMT)", "Paris (CET)"; in French "Abidjan (UTC+0)". Intl has no
 * city names of its own (Intl.DisplayNames knows no time zones), and the id's last part is one.
 */
export function timeZoneLabel(zone: string, locale: Locale, at = new Date()): string {
  let offset: string | undefined;
  try {
    offset = dateTimeFormat(INTL_LOCALE[locale], { timeZone: zone, timeZoneName: "short" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value;
  } catch {
    return zone; // not a zone this runtime knows: shown as stored
  }
  const city = (zone.split("/").at(-1) ?? zone).replace(/_/g, " ");
  return !offset || offset === city ? city : `${city} (${offset})`;
}
