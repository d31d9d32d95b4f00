import { stripQuotedAndSignature } from "@/lib/analysis/clean-body";
import type { AnalysisContext } from "@/lib/analysis/context";
import { extractAmounts, largestInXof } from "@/lib/analysis/extract-amounts";
import { daysUntil, extractDeadline } from "@/lib/analysis/extract-deadline";
import { type FraudKind, scanFraud } from "@/lib/analysis/fraud";
import { scanInjection } from "@/lib/analysis/injection";
import {
  KEYWORD_GROUPS,
  NEUTRALIZED,
  NEWSLETTER_WORDS,
  PROMO_WORDS,
  SCAM_WORDS,
} from "@/lib/analysis/keywords";
import { detectLanguage, type Language } from "@/lib/analysis/language";
import type { Amount } from "@/lib/analysis/schema";
import { matchSenderRule, type SenderRuleKind } from "@/lib/analysis/sender-rules";
import { fold, readableBody, readableSubject } from "@/lib/analysis/text";
import type { NormalizedMessage } from "@/lib/mail/types";

/** Everything the pre-filter, the fallback and the guards need, computed once per email. */
export type Signals = {
  language: Language | null;
  senderRule: SenderRuleKind | null;
  /** Why the email looks mass-sent (header names, provider category, no-reply sender). */
  bulk: string[];
  autoReply: boolean;
  amounts: Amount[];
  largestXof: number;
  deadline: string | null;
  /** Calendar days from "now" to the deadline in the recipient's zone (0 = today). */
  deadlineDays: number | null;
  /** Keyword group id -> number of distinct words found. */
  groups: Record<string, number>;
  promo: number;
  newsletter: number;
  scam: number;
  fraud: FraudKind | null;
  injection: number;
  /** Money, deadline, legal, contract or bank-detail signals: the pre-filter must not decide. */
  business: boolean;
  /** Subject and new text of the body, injection sentences removed. */
  text: string;
};

const NO_REPLY =
  /^(?:no-?reply|noreply|ne-?pas-?repondre|nepasrepondre|do-?not-?reply|donotreply|newsletters?|news|marketing|mailer|mailing|notifications?|notification-noreply|bounces?|campaigns?|promo|offres|deals)[@+.-]/i;
const AUTO_SUBJECT =
  /^(?:r[ée]ponse automatique|automatic reply|auto(?:matic)?[- ]?reply|out of (?:the )?office|absent(?:e)? du bureau|absence du bureau|message d'absence|autoreply|abwesenheitsnotiz)\b/i;

const wordPatterns = new Map<string, RegExp>();

function wordPattern(word: string): RegExp {
  let pattern = wordPatterns.get(word);
  if (!pattern) {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    pattern = new RegExp(`(?<![a-z0-9])${escaped}(?![a-z0-9])`);
    wordPatterns.set(word, pattern);
  }
  return pattern;
}

/** How many of `words` occur in folded `text` (each counted once). */
export function countWords(text: string, words: string[]): number {
  return words.filter((w) => wordPattern(w).test(text)).length;
}

function bulkReasons(msg: NormalizedMessage): string[] {
  const h = msg.headers;
  const reasons: string[] = [];
  if (h["list-unsubscribe"]) reasons.push("list-unsubscribe");
  if (h["list-id"]) reasons.push("list-id");
  if (/^(?:bulk|list|junk)$/i.test((h.precedence ?? "").trim())) reasons.push("precedence");
  if (msg.category === "promotions" || msg.category === "social" || msg.category === "forums") {
    reasons.push(`category:${msg.category}`);
  }
  if (NO_REPLY.test(msg.from.address)) reasons.push("no-reply");
  return reasons;
}

function isAutoReply(msg: NormalizedMessage): boolean {
  const auto = (msg.headers["auto-submitted"] ?? "").trim().toLowerCase();
  if (auto && auto !== "no") return true;
  if (/^auto[_-]?reply$/i.test((msg.headers.precedence ?? "").trim())) return true;
  return AUTO_SUBJECT.test(msg.subject.trim());
}

export function computeSignals(msg: NormalizedMessage, ctx: AnalysisContext, now: Date): Signals {
  const body = stripQuotedAndSignature(readableBody(msg.text));
  // A reply's subject repeats the thread's history ("RE: URGENT …"): only its body is news.
  const subject = /^\s*(?:re|r[ée]f|aw|sv|antw)\s*(?:\[\d+\])?\s*:/i.test(msg.subject)
    ? ""
    : readableSubject(msg.subject);
  const scan = scanInjection(`${subject}\n${body}`);
  const text = scan.sanitized;
  const folded = NEUTRALIZED.reduce((t, phrase) => t.split(phrase).join(" "), fold(text));
  const language = detectLanguage(body) ?? detectLanguage(msg.subject);
  const sent = new Date(msg.date);
  const reference = Number.isNaN(sent.getTime()) ? now : sent;
  const amounts = extractAmounts(text);
  const deadline = extractDeadline(text, { reference, timeZone: ctx.timeZone, language });
  const groups: Record<string, number> = {};
  for (const group of KEYWORD_GROUPS) {
    const n = countWords(folded, group.words);
    if (n > 0) groups[group.id] = n;
  }
  const fraud = scanFraud(text, msg.from).kind;
  const bankDetails =
    /\b(?:rib|iban|coordonnees bancaires|bank details|banking details|account number)\b/.test(folded);
  const business =
    amounts.length > 0 ||
    deadline !== null ||
    Boolean(
      groups.legal || groups.taxAudit || groups.termination || groups.contract || groups.sign || groups.tax,
    ) ||
    bankDetails ||
    fraud === "bank_detail_change" ||
    fraud === "urgent_transfer";
  return {
    language,
    senderRule: matchSenderRule(msg.from.address, ctx.senderRules),
    bulk: bulkReasons(msg),
    autoReply: isAutoReply(msg),
    amounts,
    largestXof: largestInXof(amounts),
    deadline,
    deadlineDays: deadline ? daysUntil(deadline, now, ctx.timeZone) : null,
    groups,
    promo: countWords(folded, PROMO_WORDS) + (/-\s?\d{1,2}\s?%/.test(folded) ? 1 : 0),
    newsletter: countWords(folded, NEWSLETTER_WORDS),
    scam: countWords(folded, SCAM_WORDS),
    fraud,
    injection: scan.count,
    business,
    text,
  };
}
