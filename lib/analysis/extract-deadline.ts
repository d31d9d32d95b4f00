import { TZDate, tzOffset } from "@date-fns/tz";
import * as chrono from "chrono-node";
import { addHours } from "date-fns";
import { format } from "date-fns/format";
import type { Language } from "@/lib/analysis/language";
import { fold } from "@/lib/analysis/text";

export const DEFAULT_TIME_ZONE = "Africa/Abidjan";

/*
 * A deadline is a date the sender ties to something to do: "avant demain midi", "by Friday",
 * "date limite : 30 novembre", "réunion demain 9h". A date without such a cue ("facture du
 * 3 novembre", "nous avons reçu aujourd'hui") is not a deadline. Dates are resolved against the
 * email's date in the recipient's time zone; a date already past is not a deadline.
 */

// Cue words, accent-free (matched on folded text), that tie the following date to an action.
const STRONG =
  "avant|d'ici|au plus tard|date limite|limite|delai|echeance|dernier delai|a rendre|expire|expiration|cloture|by|before|no later than|deadline|due|expires|closes|closing";
const EVENT =
  "attendue?s?|signature|paiement|reglement|virement|depot|remise|livraison|soumission|reponse|confirmation|validation|reunion|rendez-vous|rdv|convocation|audience|prevue?s?|rappel|signee?s?|debutera|commencera|aura lieu|se tiendra|entretien|meeting|call|appointment|hearing|scheduled|interview|signed|starts|begins|will take place";
const cue = (words: string) => new RegExp(`\\b(?:${words})\\b[^.!?\\n]{0,45}$`);
const STRONG_CUE = cue(STRONG);
const ANY_CUE = cue(`${STRONG}|${EVENT}`);
// "pour"/"for" only right before the date: "pour demain", not "merci pour votre appel de lundi".
const NEAR_CUE = /\b(?:pour|for)(?:\s+(?:le|la|ce|cette|this|the))?\s*$/;
// Today/tomorrow with a time is a deadline on its own: "appelez-moi demain 9h", "today 5pm".
const NEAR_DAY =
  /aujourd'hui|demain|ce soir|ce matin|cet apres-midi|today|tomorrow|tonight|this (?:morning|afternoon|evening)/;

/** Words chrono's French parser does not know, rewritten to forms it does. */
function normalize(text: string): string {
  return text
    .replace(/\bmidi\b/gi, "12h00")
    .replace(/\bminuit\b/gi, "23h59")
    .replace(/\b(?:en )?fin de (?:la )?journ[ée]e\b/gi, "avant 18h00")
    .replace(/\b(?:end of (?:the )?(?:business )?day|EOD|COB|close of business)\b/g, "by 6pm");
}

function withinHours(text: string, ref: Date): Date | null {
  const m = fold(text).match(
    /\b(?:sous|dans les|dans|d'ici|within|in the next|in)\s+(\d{1,3})\s*(h|heures?|hours?|hrs?|jours?|days?)\b/,
  );
  if (!m) return null;
  const n = Number(m[1]);
  return /^(h|heure|hour|hr)/.test(m[2] ?? "") ? addHours(ref, n) : addHours(ref, n * 24);
}

export type DeadlineContext = { reference: Date; timeZone: string; language?: Language | null };

function resolve(result: chrono.ParsedResult, timeZone: string): Date {
  const c = result.start;
  const year = c.get("year") ?? 1970;
  const month = c.get("month") ?? 1;
  const day = c.get("day") ?? 1;
  // A day without a time means "during that day": the end of it.
  const [hour, minute] = c.isCertain("hour") ? [c.get("hour") ?? 0, c.get("minute") ?? 0] : [23, 59];
  return new TZDate(year, month - 1, day, hour, minute, timeZone);
}

function isWeekdayOnly(result: chrono.ParsedResult): boolean {
  return result.start.isCertain("weekday") && !result.start.isCertain("day");
}

/** ISO 8601 with the recipient's offset, e.g. 2026-11-20T17:00:00+00:00. */
export function toZonedIso(date: Date, timeZone: string): string {
  return format(new TZDate(date, timeZone), "yyyy-MM-dd'T'HH:mm:ssxxx");
}

/** The earliest future deadline in the text (subject first, then body), or null. */
export function extractDeadline(text: string, ctx: DeadlineContext): string | null {
  const timeZone = ctx.timeZone || DEFAULT_TIME_ZONE;
  const ref = ctx.reference;
  const input = normalize(text);
  const reference = { instant: ref, timezone: tzOffset(timeZone, ref) };
  const parsers = ctx.language === "en" ? [chrono.en, chrono.fr] : [chrono.fr, chrono.en];
  const startOfDay = new TZDate(ref, timeZone);
  startOfDay.setHours(0, 0, 0, 0);

  const candidates: Date[] = [];
  const relative = withinHours(input, ref);
  if (relative) candidates.push(relative);
  for (const parser of parsers) {
    for (const result of parser.parse(input, reference)) {
      const before = fold(input.slice(Math.max(0, result.index - 60), result.index));
      const nearDayWithTime = NEAR_DAY.test(fold(result.text)) && result.start.isCertain("hour");
      if (!ANY_CUE.test(before) && !NEAR_CUE.test(before) && !nearDayWithTime) continue;
      let date = resolve(result, timeZone);
      // "by Friday" on a Saturday means next Friday; "your call on Monday" stays in the past.
      if (isWeekdayOnly(result) && date.getTime() < startOfDay.getTime() && STRONG_CUE.test(before)) {
        date = addHours(date, 24 * 7);
      }
      if (date.getTime() < startOfDay.getTime()) continue;
      candidates.push(date);
    }
  }
  if (candidates.length === 0) return null;
  const earliest = candidates.reduce((a, b) => (a.getTime() <= b.getTime() ? a : b));
  return toZonedIso(earliest, timeZone);
}

/** Calendar days between the reference day and the deadline day, in the recipient's zone. */
export function daysUntil(deadlineIso: string, reference: Date, timeZone: string): number {
  const day = (d: Date) => {
    const z = new TZDate(d, timeZone);
    return Date.UTC(z.getFullYear(), z.getMonth(), z.getDate());
  };
  return Math.round((day(new Date(deadlineIso)) - day(reference)) / 86_400_000);
}
