import * as chrono from "chrono-node";
import type { Language } from "@/lib/analysis/language";
import { fold } from "@/lib/analysis/text";

/*
 * When an announced change takes effect: "à compter du 1er janvier 2027", "from 1 January 2027",
 * "with effect from 15/02/2027". A payee change announced weeks ahead, by a known sender who
 * keeps the old account valid until then, is the shape of a genuine change — the fraudster's
 * change is for the invoice being paid now.
 */
const FROM =
  /\b(?:a compter du|a compter de|a partir du|a partir de|des le|effectif le|effective|with effect from|effective from|as of|as from|from|starting)\s+(?:le\s+|the\s+)?/g;

/** What a date after such a cue starts with: a day's number or a month's name ("1er", "15/02", "January"). */
const DATE_START =
  /^(?:\d|premier\b|(?:janv|fevr?|mars|avr|mai|juin|juil|aout|sept|oct|nov|dec|jan|feb|mar|apr|may|jun|jul|aug|sep)\w*)/;

/** Whole days from `reference` to the first effective date after such a cue, or null. */
export function effectiveDaysAhead(text: string, reference: Date, language: Language | null): number | null {
  const folded = fold(text).slice(0, 20_000);
  const parsers = language === "en" ? [chrono.en, chrono.fr] : [chrono.fr, chrono.en];
  let tried = 0;
  for (const m of folded.matchAll(FROM)) {
    const after = folded.slice(m.index + m[0].length, m.index + m[0].length + 40);
    // "Sent from my iPhone" is no date: only a cue followed by one costs a parse.
    if (!DATE_START.test(after)) continue;
    // A few parses at most: a hostile text can repeat "from 1" thousands of times.
    if (++tried > 5) break;
    for (const parser of parsers) {
      const found = parser.parse(after, reference, { forwardDate: true })[0];
      if (!found || found.index > 2 || !found.start.isCertain("month")) continue;
      return Math.floor((found.start.date().getTime() - reference.getTime()) / 86_400_000);
    }
  }
  return null;
}
