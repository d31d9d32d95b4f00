import type { AnalysisContext } from "@/lib/analysis/context";
import { inBothLanguages } from "@/lib/analysis/present";
import type { Localized } from "@/lib/analysis/schema";
import type { Signals } from "@/lib/analysis/signals";
import { fold, truncate } from "@/lib/analysis/text";

/*
 * The rules' summary: one sentence of what the sender wants or reports, never the sender and the
 * subject again (the alert shows both just above it). A fact the rules are sure of, written in
 * each reader's language ("Menace d'annuler la commande n° 4521"), or else the first sentence of
 * what the sender wrote this time — after the greeting, pleasantries, letterheads and banners —
 * quoted as written.
 */

const MAX_SENTENCE = 160;

// "Bonjour Monsieur Traoré," "Dear Ms Mensah," "Hello team!" — up to the first comma or line end.
const GREETING =
  /^(?:bonjour|bonsoir|salut|coucou|cher|chère|chers|chères|madame|monsieur|mesdames|messieurs|hello|hi|hey|dear|good (?:morning|afternoon|evening)|greetings)\b[^\n,.!?:;]{0,60}[,.!:;]?\s*/i;
// Sentences that carry nothing: wishes, "I am writing to you", thanks in advance.
const EMPTY_SENTENCE =
  /^(?:j['’]esp[èe]re que (?:vous|tu)|i hope (?:you|this)|hope you|en esp[ée]rant que|je me permets de vous (?:écrire|contacter|relancer)\s*[.!]|merci d['’]avance|thanks? in advance|thank you for your (?:email|message)|merci pour votre (?:message|mail|e-mail|courriel)|comment allez-vous|how are you)/i;
// An address or a link inside a sentence would be defanged in the alert: such a sentence is not prose.
const LINK_OR_ADDRESS = /\b[\w.+-]+@[\w-]+\.[\w.-]+|\bhttps?:\/\/|\bwww\.\S+/i;
// A sentence ends at . ! ? … followed by a capital, a digit or a quote — not after "M." or "Mr.".
const SENTENCE_END =
  /(?<=[.!?…])(?<!\b(?:M|Mr|Mrs|Ms|Mme|Mlle|Me|Dr|Pr|St|cf|No|n°|réf|ref|Ste|Sté)\.)\s+(?=[\p{Lu}\d«"“(])/u;

/** A letterhead, a banner or a table line rather than prose: short without a full stop, or shouted. */
function notProse(sentence: string): boolean {
  if (sentence.length < 50 && !/[.!?…]$/.test(sentence)) return true;
  const letters = sentence.replace(/[^\p{L}]/gu, "");
  const upper = letters.replace(/[^\p{Lu}]/gu, "");
  return letters.length > 0 && upper.length / letters.length > 0.6;
}

const CANCEL = /\b(?:annul(?:er|ons|erons|erai|ation|e)|cancel(?:l?ed|l?ing|lation)?)\b/;

/** "commande n° 4521", "order #4521", "PO-2291": the reference the fact is about. */
const ORDER_REF =
  /\b(?:commande|bon de commande|order|purchase order|po)\s*(?:n[°ºo]\.?|no\.?|#|num[ée]ro)?\s*([A-Z0-9][A-Z0-9/-]{2,19})\b/i;

function orderRef(text: string): string | null {
  const m = ORDER_REF.exec(text);
  const id = m?.[1];
  // A reference has a digit: "commande urgente" names no order.
  return id && /\d/.test(id) ? id : null;
}

/** The body the sender wrote this time: the signals' text without its first line (the subject). */
function bodyOf(s: Signals): string {
  const cut = s.text.indexOf("\n");
  return cut < 0 ? "" : s.text.slice(cut + 1);
}

const ABBREVIATION_END = /\b(?:M|Mr|Mrs|Ms|Mme|Mlle|Me|Dr|Pr|St|cf|No|n°|réf|ref|Ste|Sté)\.$/;
const BULLET = /^(?:[-•*–]|\d+[.)])\s+/;

/**
 * Lines as the sender meant them: a hard-wrapped line is joined with the next when the next goes
 * on in lower case or the line ends on an abbreviation ("M.", "réf."); bullets lose their marker.
 */
function logicalLines(body: string): string[] {
  const out: string[] = [];
  for (const raw of body.split(/\n+/)) {
    const line = raw.replace(/\s+/g, " ").trim().replace(BULLET, "");
    if (!line) continue;
    const last = out.length - 1;
    const prev = out[last];
    if (prev !== undefined && (/^\p{Ll}/u.test(line) || ABBREVIATION_END.test(prev)))
      out[last] = `${prev} ${line}`;
    else out.push(line);
  }
  return out;
}

/** The first sentence that says something, greeting and pleasantries removed; null if none. */
export function firstMeaningfulSentence(body: string): string | null {
  const lines = logicalLines(body);
  for (const line of lines.slice(0, 12)) {
    const rest = line.replace(GREETING, "").trim();
    for (const raw of rest.split(SENTENCE_END)) {
      const sentence = raw.trim();
      if (sentence.length < 12 || !/\p{L}{3}/u.test(sentence) || notProse(sentence)) continue;
      if (EMPTY_SENTENCE.test(sentence) || LINK_OR_ADDRESS.test(sentence)) continue;
      const first = sentence.charAt(0).toLocaleUpperCase() + sentence.slice(1);
      return truncate(first.replace(/[,:;]$/, "."), MAX_SENTENCE);
    }
  }
  return null;
}

/**
 * What the rules are sure of, as a catalogue sentence in both languages: an unhappy client
 * threatening to cancel an order. (The action kind is not enough to say more: "pay" and "sign"
 * also fire on reports and tenders, where the sender's own sentence says it better.)
 */
function knownFact(s: Signals, ctx: AnalysisContext): Localized | null {
  const body = bodyOf(s);
  if (!(CANCEL.test(fold(body)) && (s.groups.complaint || s.groups.delivery))) return null;
  const ref = orderRef(body);
  return inBothLanguages(ctx.timeZone, (t) =>
    ref ? t("summary.fact.cancelOrderRef", { ref }) : t("summary.fact.cancelOrder"),
  );
}

/**
 * One sentence of what the email is about: a known fact, else the sender's first meaningful
 * sentence quoted («…» in French, “…” in English), else "no text".
 */
export function realSummary(s: Signals, ctx: AnalysisContext): Localized {
  const fact = knownFact(s, ctx);
  if (fact) return fact;
  const sentence = firstMeaningfulSentence(bodyOf(s));
  return inBothLanguages(ctx.timeZone, (t) =>
    sentence ? t("summary.quote", { sentence }) : t("summary.noText"),
  );
}
