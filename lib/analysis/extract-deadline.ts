import { TZDate, tzOffset } from "@date-fns/tz";
import * as chrono from "chrono-node";
import { addHours } from "date-fns";
import { format } from "date-fns/format";
import { runToEnd, type Steps } from "@/lib/analysis/cooperate";
import type { Language } from "@/lib/analysis/language";
import { fold } from "@/lib/analysis/text";
import { DEFAULT_TIME_ZONE } from "@/lib/domain/vocabulary";

/*
 * A deadline is a date the sender ties to something to do: "avant demain midi", "by Friday",
 * "date limite : 30 novembre", "réunion demain 9h". A date without such a cue ("facture du
 * 3 novembre", "nous avons reçu aujourd'hui") is not a deadline. Dates are resolved against the
 * email's date in the recipient's time zone; a date already past is not a deadline.
 */

// Cue words, accent-free (matched on folded text), that tie the following date to an action. A
// strong cue must sit right before the date ("avant le 30", "by Friday", "date limite : 5 déc."),
// an event word a little further ("réunion du conseil demain 9h").
const STRONG =
  "avant|d'ici|au plus tard|date limite|limite|delai|echeance|dernier delai|a rendre|expire|expiration|cloture|by|before|no later than|deadline|due|expires|closes|closing";
// Not "call"/"appel": "call today", "call 1-800-…" are how adverts and signatures talk.
const EVENT =
  "attendue?s?|signature|paiement|reglement|virement|depot|remise|livraison|soumission|reponse|confirmation|validation|reunion|rendez-vous|rdv|convocation|audience|prevue?s?|signee?s?|debutera|commencera|aura lieu|se tiendra|entretien|meeting|appointment|hearing|scheduled|interview|signed|starts|begins|will take place";
const cue = (words: string, gap: number) => new RegExp(`\\b(?:${words})\\b[^.!?\\n]{0,${gap}}$`);
const STRONG_CUE = cue(STRONG, 16);
const ANY_CUE = new RegExp(`${STRONG_CUE.source}|${cue(EVENT, 32).source}`);
// "pour"/"for" only right before a relative day: "pour demain", "for Friday" — never an absolute
// date, which is how datelines read ("Update for July 10", "Édition pour le 10 juillet").
const NEAR_CUE = /\b(?:pour|for)(?:\s+(?:le|la|ce|cette|this|the))?\s*$/;
// Today/tomorrow with a time is a deadline on its own: "appelez-moi demain 9h", "today 5pm".
const NEAR_DAY =
  /aujourd'hui|demain|ce soir|ce matin|cet apres-midi|today|tomorrow|tonight|this (?:morning|afternoon|evening)/;
// "now", "right now", "maintenant": urgency words, not dates.
const NOW = /^(?:now|right now|maintenant|immediately|des maintenant|a l'instant)$/;
// A relative window counts when the sentence asks for something: "merci de régler sous 48 h",
// "réponse sous 48 heures" — not "your account will be closed within 24 hours".
const ASKS =
  /\b(?:merci de|veuillez|priere de|nous vous prions|please|kindly|must|doit|devez|devrez|required|requis|necessaire|reponse|paiement|reglement|signature|confirmation|livraison|remise|depot|retour|reply|response|payment|delivery|submission)\b/;

/** Phone numbers, masked (same length) before any date parsing: "07 58 22 19 03" is not 07:58. */
const PHONE = /(?<![\w/])(?:\+|00)?\(?\d{1,4}\)?(?:[ .\u00A0-]?\(?\d{1,4}\)?){2,6}(?![\w/])/g;
function maskPhones(text: string): string {
  return text.replace(PHONE, (m) => {
    const digits = m.replace(/\D/g, "");
    const looksLikeDate = /^\d{1,4}[-./]\d{1,2}[-./]\d{1,4}$/.test(m.trim());
    const looksLikeAmount = /^\d{1,3}(?:[ .\u00A0]\d{3})+$/.test(m.trim());
    const looksLikeTime = /^\d{1,2}[h:.]\d{2}$/.test(m.trim());
    return digits.length >= 8 && !looksLikeDate && !looksLikeAmount && !looksLikeTime
      ? " ".repeat(m.length)
      : m;
  });
}

/** Words chrono's French parser does not know, rewritten to forms it does. */
function normalize(text: string): string {
  return (
    maskPhones(text)
      // "demain vendredi à 8h" is one day: chrono would read "demain" and "vendredi à 8h" apart.
      .replace(
        /\b(demain|aujourd'hui|tomorrow|today)[ ,(]+(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b\)?/gi,
        "$1",
      )
      // "demain avant 17h": chrono reads "demain" and "avant 17h" (today) apart; "avant 17h demain" is one.
      // Spaces only, never a line break: "…avant 17h\n" (a subject's end) moved "demain" to the next
      // line, and the deadline became today's 17:00.
      .replace(
        /\b(demain)[ ,]+(avant|d'ici|jusqu'à|jusqu'a)[ \t]+(\d{1,2}(?:[ \t]*(?:h|:)[ \t]*\d{0,2}|[ \t]*(?:am|pm)))/gi,
        "$2 $3 $1",
      )
      .replace(/\bmidi\b/gi, "12h00")
      .replace(/\bminuit\b/gi, "23h59")
      .replace(/\b(?:en )?fin de (?:la )?journ[ée]e\b/gi, "avant 18h00")
      .replace(/\b(?:end of (?:the )?(?:business )?day|EOD|COB|close of business)\b/g, "by 6pm")
  );
}

function withinHours(text: string, ref: Date): Date | null {
  const folded = fold(text);
  const re =
    /\b(?:sous|dans les|dans|d'ici|within|in the next|in)\s+(\d{1,3})\s*(h|heures?|hours?|hrs?|jours?|days?)\b/g;
  for (const m of folded.matchAll(re)) {
    const start = Math.max(folded.lastIndexOf(".", m.index), folded.lastIndexOf("\n", m.index), 0);
    if (!ASKS.test(folded.slice(start, m.index + m[0].length))) continue;
    const n = Number(m[1]);
    return /^(h|heure|hour|hr)/.test(m[2] ?? "") ? addHours(ref, n) : addHours(ref, n * 24);
  }
  return null;
}

export type DeadlineContext = {
  reference: Date;
  timeZone: string;
  language?: Language | null;
  /**
   * Only dates tied to something to do (strong cues: "échéance", "avant le", "due"): documents
   * mention meetings and deliveries constantly ("compte rendu de la réunion de lundi"), and those
   * are not the reader's deadline. Attachment text is read this way.
   */
  deadlinesOnly?: boolean;
};

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

/**
 * A date found with its kind: a `deadline` is something to do by then ("avant 16h", "sous 48 h",
 * "by Friday"); an `event` is something that happens then ("réunion demain 9h").
 */
export type FoundDeadline = { at: string; kind: "deadline" | "event" };

/** The earliest future deadline in the text (subject first, then body), or null. */
export function extractDeadline(text: string, ctx: DeadlineContext): string | null {
  return findDeadline(text, ctx)?.at ?? null;
}

export function findDeadline(text: string, ctx: DeadlineContext): FoundDeadline | null {
  return runToEnd(deadlineSteps(text, ctx));
}

/**
 * Characters chrono reads between two pauses of a cooperative caller (a few milliseconds of
 * work). A longer text is read in pieces cut at a line break (a date is not written across
 * lines), each piece a step.
 */
const CHUNK_CHARS = 1_500;

/** [offset, text] pieces of at most CHUNK_CHARS, cut after a line break (or a space) when there is one. */
export function chunks(input: string, size = CHUNK_CHARS): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let start = 0;
  while (input.length - start > size) {
    const window = input.slice(start, start + size);
    const cut = window.lastIndexOf("\n") + 1 || window.lastIndexOf(" ") + 1 || size;
    out.push([start, window.slice(0, cut)]);
    start += cut;
  }
  out.push([start, input.slice(start)]);
  return out;
}

/** findDeadline in bounded steps: chrono reads one piece of the text per step. */
export function* deadlineSteps(text: string, ctx: DeadlineContext): Steps<FoundDeadline | null> {
  const timeZone = ctx.timeZone || DEFAULT_TIME_ZONE;
  const ref = ctx.reference;
  // Normalised piece by piece (the rewrites never span a line break, where pieces are cut).
  const pieces: Array<[number, string]> = [];
  let input = "";
  for (const [, raw] of chunks(text)) {
    const piece = normalize(raw);
    pieces.push([input.length, piece]);
    input += piece;
    yield;
  }
  const reference = { instant: ref, timezone: tzOffset(timeZone, ref) };
  // One language's parser when the language is known: English rules read French "mar." as March.
  const parsers =
    ctx.language === "en" ? [chrono.en] : ctx.language === "fr" ? [chrono.fr] : [chrono.fr, chrono.en];
  const startOfDay = new TZDate(ref, timeZone);
  startOfDay.setHours(0, 0, 0, 0);

  const candidates: { date: Date; kind: FoundDeadline["kind"]; from: number; to: number }[] = [];
  const relative = withinHours(input, ref);
  if (relative) candidates.push({ date: relative, kind: "deadline", from: -1, to: -1 });
  for (const parser of parsers) {
    for (const [offset, piece] of pieces) {
      yield;
      for (const result of parser.parse(piece, reference)) {
        const at = offset + result.index;
        const before = fold(input.slice(Math.max(0, at - 60), at));
        const said = fold(result.text).trim();
        if (NOW.test(said)) continue;
        const nearDayWithTime = NEAR_DAY.test(said) && result.start.isCertain("hour");
        const relativeDay = NEAR_DAY.test(said) || isWeekdayOnly(result);
        const strong = STRONG_CUE.test(before) || (relativeDay && NEAR_CUE.test(before));
        if (!strong && !ANY_CUE.test(before) && !nearDayWithTime) continue;
        const kind = strong || (nearDayWithTime && !ANY_CUE.test(before)) ? "deadline" : "event";
        if (ctx.deadlinesOnly && kind !== "deadline") continue;
        let date = resolve(result, timeZone);
        // "by Friday" on a Saturday means next Friday; "your call on Monday" stays in the past.
        if (isWeekdayOnly(result) && date.getTime() < startOfDay.getTime() && STRONG_CUE.test(before)) {
          date = addHours(date, 24 * 7);
        }
        if (date.getTime() < startOfDay.getTime()) continue;
        // A time of day already past when the email was written is a report ("livrés ce matin à 6h45").
        if (result.start.isCertain("hour") && date.getTime() < ref.getTime()) continue;
        candidates.push({ date, kind, from: at, to: at + result.text.length });
      }
    }
  }
  // Both parsers on text of unknown language: where one read more of the same words ("5 pm
  // tomorrow" against French's "5 pm"), its reading is the one the sender wrote.
  const read = candidates.filter(
    (c) =>
      !candidates.some((o) => o !== c && o.from <= c.from && o.to >= c.to && o.to - o.from > c.to - c.from),
  );
  if (read.length === 0) return null;
  const earliest = read.reduce((a, b) => (a.date.getTime() <= b.date.getTime() ? a : b));
  return { at: toZonedIso(earliest.date, timeZone), kind: earliest.kind };
}

/** Calendar days between the reference day and the deadline day, in the recipient's zone. */
export function daysUntil(deadlineIso: string, reference: Date, timeZone: string): number {
  const day = (d: Date) => {
    const z = new TZDate(d, timeZone);
    return Date.UTC(z.getFullYear(), z.getMonth(), z.getDate());
  };
  return Math.round((day(new Date(deadlineIso)) - day(reference)) / 86_400_000);
}
