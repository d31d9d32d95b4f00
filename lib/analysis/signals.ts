import { decodeHTML } from "entities";
import type { AttachmentFact } from "@/lib/analysis/attachment-signals";
import { stripQuotedAndSignature } from "@/lib/analysis/clean-body";
import type { AnalysisContext } from "@/lib/analysis/context";
import { type CooperativeOptions, runCooperatively, runToEnd, type Steps } from "@/lib/analysis/cooperate";
import { effectiveDaysAhead } from "@/lib/analysis/effective-date";
import { extractAmounts, largestInXof } from "@/lib/analysis/extract-amounts";
import { daysUntil, deadlineSteps, type FoundDeadline } from "@/lib/analysis/extract-deadline";
import { type FraudEvidence, scanFraud } from "@/lib/analysis/fraud";
import { hiddenDirectiveSteps } from "@/lib/analysis/hidden-text";
import { injectionSteps } from "@/lib/analysis/injection";
import {
  ACCOUNT_HOLDER,
  DISCLAIMER_SENTENCE,
  KEYWORD_GROUPS,
  NEUTRALIZED,
  NEWSLETTER_WORDS,
  NO_ACTION_NOTICE,
  PITCH_WORDS,
  PROMO_WORDS,
  SCAM_WORDS,
} from "@/lib/analysis/keywords";
import { detectLanguage, type Language } from "@/lib/analysis/language";
import { type Amount, isoWithOffsetSchema } from "@/lib/analysis/schema";
import { matchSenderRule, type SenderRule } from "@/lib/analysis/sender-rules";
import { type SenderSignals, senderSignals } from "@/lib/analysis/sender-signals";
import { type Solicitation, solicitationOf } from "@/lib/analysis/solicitation";
import {
  boundedBody,
  countWords,
  fold,
  hasReplyPrefix,
  readableBody,
  readableSubject,
} from "@/lib/analysis/text";
import type { NormalizedMessage } from "@/lib/mail/types";

/** Everything the pre-filter, the fallback and the guards need, computed once per email. */
export type Signals = {
  language: Language | null;
  /** The user's rule for this sender (kind only, for readability at the call sites). */
  senderRule: SenderRule["kind"] | null;
  /** The matched rule itself (a `priority` rule carries its priority). */
  rule: SenderRule | null;
  /** Who the sender is to the owner: relationship, authentication, addressing, provider verdicts. */
  sender: SenderSignals;
  /** Why the email looks mass-sent (list headers, Precedence, provider category). */
  bulk: string[];
  autoReply: boolean;
  amounts: Amount[];
  largestXof: number;
  deadline: string | null;
  /** Something to do by then, or something happening then (a meeting). */
  deadlineKind: FoundDeadline["kind"] | null;
  /** Calendar days from "now" to the deadline in the recipient's zone (0 = today). */
  deadlineDays: number | null;
  /** Keyword group id -> number of distinct words found. */
  groups: Record<string, number>;
  promo: number;
  /** Seller's-voice phrases: a pitch for the sender's own product or services. */
  pitch: number;
  newsletter: number;
  scam: number;
  /** Buyer's or seller's voice, links, a sales signature: who wants something from whom. */
  solicitation: Solicitation;
  /** The sender asks the reader for something (a request phrase, or a question put to "you"). */
  ask: boolean;
  /** An authenticated program writing to one of its account holders (ACCOUNT_HOLDER footer). */
  accountHolder: boolean;
  /** A confirmation that something already happened and nothing is to be done ("avis de crédit"). */
  notice: boolean;
  fraud: FraudEvidence;
  /** Days until an announced payee change takes effect ("à compter du 1er janvier"), when there is one. */
  payeeEffectiveDays: number | null;
  injection: number;
  /** The share of the email's sentences that talk to a model (0 when none): 1 = nothing else in it. */
  injectionShare: number;
  /** Money, deadline, legal, contract or bank-detail signals: the pre-filter must not decide. */
  business: boolean;
  /** Subject and new text of the body (bounded), injection sentences removed. */
  text: string;
  /** The attachments that were read, with what was found (withAttachments): never their text. */
  attachments: AttachmentFact[];
};

const AUTO_SUBJECT =
  /^(?:r[ée]ponse automatique|automatic reply|auto(?:matic)?[- ]?reply|out of (?:the )?office|absent(?:e)? du bureau|absence du bureau|message d'absence|autoreply|abwesenheitsnotiz)\b/i;
/** A question put to the reader: "pouvez-vous…?", "can you…?", "tu peux…?". */
const QUESTION_TO_YOU =
  /\b(?:vous|tu|you|pouvez|pourriez|peux|pourrais|can|could|would|will)\b[^?\n]{0,120}\?/;

/** Every piece of text in an HTML part, hidden or not, comments included (never shown anywhere). */
function allHtmlText(html: string): string {
  const text = html
    .replace(/<!--|-->/g, "\n")
    .replace(/<(?:script|style)[^>]*>[\s\S]*?<\/(?:script|style)>/gi, " ")
    .replace(/<[^>]{0,2000}>/g, "\n");
  // Entities decoded as the visible text has them ("priorit&eacute;" is the "priorité" shown).
  return decodeHTML(text).replace(/\u00a0/g, " ");
}

function bulkReasons(msg: NormalizedMessage): string[] {
  const h = msg.headers;
  const reasons: string[] = [];
  if (h["list-unsubscribe"]) reasons.push("list-unsubscribe");
  if (h["list-id"]) reasons.push("list-id");
  // Precedence: bulk alone on mail a program generated for this recipient (Auto-Submitted:
  // auto-generated, RFC 3834 §5) is how notification systems ask auto-responders not to answer
  // (RFC 3834 §3.1.8 tells responders to honour it): a do-not-reply flag, not a mailing list.
  const autoGenerated = (h["auto-submitted"] ?? "").trim().toLowerCase() === "auto-generated";
  const precedence = /^(?:bulk|list|junk)$/i.test((h.precedence ?? "").trim());
  if (precedence && !(autoGenerated && reasons.length === 0 && !msg.category)) reasons.push("precedence");
  if (msg.category === "promotions" || msg.category === "social" || msg.category === "forums") {
    reasons.push(`category:${msg.category}`);
  }
  return reasons;
}

function isAutoReply(msg: NormalizedMessage): boolean {
  const auto = (msg.headers["auto-submitted"] ?? "").trim().toLowerCase();
  if (auto === "auto-replied") return true;
  if (/^auto[_-]?reply$/i.test((msg.headers.precedence ?? "").trim())) return true;
  if (msg.headers["x-autoreply"] || msg.headers["x-autorespond"]) return true;
  return AUTO_SUBJECT.test(msg.subject.trim());
}

export function computeSignals(msg: NormalizedMessage, ctx: AnalysisContext, now: Date): Signals {
  return runToEnd(signalSteps(msg, ctx, now));
}

/** The same signals, pausing for the event loop between bounded steps (the pipeline's way). */
export function computeSignalsCooperatively(
  msg: NormalizedMessage,
  ctx: AnalysisContext,
  now: Date,
  options: CooperativeOptions = {},
): Promise<Signals> {
  return runCooperatively(signalSteps(msg, ctx, now), options);
}

/**
 * One pass over a bounded text, in steps: each `yield` separates parsers (HTML to text, injection
 * scan, language, amounts, deadline, keyword groups) so no single stretch holds the event loop
 * for long (issue #13 item 3).
 */
function* signalSteps(msg: NormalizedMessage, ctx: AnalysisContext, now: Date): Steps<Signals> {
  const readable = readableBody(boundedBody(msg.text, 200_000, 20_000));
  yield;
  const body = stripQuotedAndSignature(boundedBody(readable));
  yield;
  // A reply's subject repeats the thread's history ("RE: URGENT …"): only its body is news.
  const subject = hasReplyPrefix(msg.subject, { forwards: true })
    ? ""
    : readableSubject(msg.subject.slice(0, 500));
  const scan = yield* injectionSteps(`${subject}\n${body}`);
  yield;
  // Instructions hidden in the HTML (display:none, white on white, comments) never reach the text
  // the rules or the model read, but their presence says what the sender is up to.
  const allText = msg.html ? allHtmlText(boundedBody(msg.html, 200_000, 0)) : null;
  yield;
  const hidden = allText === null ? 0 : (yield* injectionSteps(allText)).count;
  yield;
  const hiddenDirectives = allText === null ? 0 : yield* hiddenDirectiveSteps(allText, readable);
  yield;
  const text = scan.sanitized;
  const raw = fold(text);
  const folded = NEUTRALIZED.reduce((t, phrase) => t.split(phrase).join(" "), raw).replace(
    DISCLAIMER_SENTENCE,
    " ",
  );
  yield;
  const language = detectLanguage(body) ?? detectLanguage(msg.subject);
  yield;
  // A Date header in the future (year 20000) or unreadable is not the email's date: "now" is.
  const sent = new Date(msg.date);
  const reference = Number.isNaN(sent.getTime()) || sent.getTime() > now.getTime() + 86_400_000 ? now : sent;
  const amounts = extractAmounts(text);
  yield;
  const found = yield* deadlineSteps(text, { reference, timeZone: ctx.timeZone, language });
  yield;
  // A deadline is within a few years, written as the schema wants it; anything else is a misreading.
  const sane =
    found !== null &&
    isoWithOffsetSchema.safeParse(found.at).success &&
    Math.abs(new Date(found.at).getTime() - reference.getTime()) < 5 * 365 * 86_400_000;
  const deadline = sane ? found.at : null;
  const groups: Record<string, number> = {};
  for (const group of KEYWORD_GROUPS) {
    const n = countWords(folded, group.words);
    if (n > 0) groups[group.id] = n;
    yield;
  }
  const sender = senderSignals(msg, ctx.mailboxAddress, ctx.relationship, ctx.mailboxHost);
  const rule = matchSenderRule(msg.from.address, ctx.senderRules);
  const fraud = scanFraud(text, { name: msg.from.name, freeMail: sender.freeMail });
  const payeeEffectiveDays = fraud.payeeChange ? effectiveDaysAhead(text, reference, language) : null;
  yield;
  const bankDetails =
    /\b(?:rib|iban|coordonnees bancaires|bank details|banking details|account number)\b/.test(folded);
  const business =
    amounts.length > 0 ||
    deadline !== null ||
    Boolean(
      groups.legal || groups.taxAudit || groups.termination || groups.contract || groups.sign || groups.tax,
    ) ||
    bankDetails ||
    fraud.payeeChange ||
    fraud.urgentTransfer;
  const promo = countWords(folded, PROMO_WORDS) + (/-\s?\d{1,2}\s?%/.test(folded) ? 1 : 0);
  const pitch = countWords(folded, PITCH_WORDS);
  yield;
  const newsletter = countWords(folded, NEWSLETTER_WORDS);
  const scam = countWords(folded, SCAM_WORDS);
  yield;
  const ask = Boolean(groups.ask) || QUESTION_TO_YOU.test(folded);
  const solicitation = solicitationOf(folded, readable, msg, ctx.mailboxAddress);
  yield;
  const notice = countWords(raw, NO_ACTION_NOTICE) > 0;
  const accountHolder =
    sender.automated && sender.authentication === "pass" && countWords(fold(readable), ACCOUNT_HOLDER) > 0;
  return {
    language,
    senderRule: rule?.kind ?? null,
    rule,
    sender,
    bulk: bulkReasons(msg),
    autoReply: isAutoReply(msg),
    amounts,
    largestXof: largestInXof(amounts),
    deadline,
    deadlineKind: sane ? found.kind : null,
    deadlineDays: deadline ? daysUntil(deadline, now, ctx.timeZone) : null,
    groups,
    promo,
    pitch,
    newsletter,
    scam,
    solicitation,
    accountHolder,
    ask,
    notice,
    fraud,
    payeeEffectiveDays,
    injection: Math.max(scan.count, hidden, hiddenDirectives),
    injectionShare: scan.pieces > 0 ? scan.count / scan.pieces : 0,
    business,
    text,
    attachments: [],
  };
}
