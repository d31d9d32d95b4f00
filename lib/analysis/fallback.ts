import type { AnalysisContext } from "@/lib/analysis/context";
import { KEYWORD_GROUPS } from "@/lib/analysis/keywords";
import {
  type AnalysisText,
  analysisText,
  deadlineReason,
  formatAmount,
  senderName,
  subjectOrPlaceholder,
} from "@/lib/analysis/present";
import type { ActionKind, Analysis, Category, Priority } from "@/lib/analysis/schema";
import type { Signals } from "@/lib/analysis/signals";
import { fold } from "@/lib/analysis/text";
import type { NormalizedMessage } from "@/lib/mail/types";

/*
 * The transparent classifier used when Gemini is not configured or fails. A score adds keyword
 * weights, money and deadline proximity, and subtracts mass-mail and advertising signals; the
 * reasons list says which of those fired, in the recipient's language.
 */

export const CRITICAL_SCORE = 10;
export const IMPORTANT_SCORE = 4;

export type RuleScore = { score: number; keywordGroups: string[] };

export function scoreSignals(s: Signals): RuleScore {
  const keywordGroups: string[] = [];
  const contributions: number[] = [];
  for (const group of KEYWORD_GROUPS) {
    const n = s.groups[group.id] ?? 0;
    if (n === 0) continue;
    keywordGroups.push(group.id);
    contributions.push(group.weight + Math.min(1, (n - 1) * 0.5));
  }
  // The two strongest themes count fully, the others half: an invoice that also mentions a bank
  // and an order is still one invoice.
  contributions.sort((a, b) => b - a);
  let score = contributions.reduce((sum, c, i) => sum + (i < 2 ? c : c / 2), 0);
  if (s.largestXof >= 20_000_000) score += 3;
  else if (s.largestXof >= 1_000_000) score += 2;
  else if (s.amounts.length > 0) score += 1;
  // A deadline long past (mail read days late) still counts, but no longer as "today".
  if (s.deadlineDays !== null)
    score += s.deadlineDays < -1 ? 1 : s.deadlineDays <= 1 ? 4 : s.deadlineDays <= 14 ? 2 : 1;
  if (s.bulk.length > 0) score -= 4;
  score -= Math.min(4.5, s.promo * 1.5) + Math.min(2, s.newsletter);
  if (s.injection > 0) score -= 1;
  return { score, keywordGroups };
}

function categoryOf(s: Signals, keywordGroups: string[], priority: Priority): Category {
  if (s.fraud === "phishing") return "security";
  if (s.fraud) return "bank";
  if (s.autoReply) return "auto_reply";
  if (s.bulk.length > 0 || s.promo > 1)
    return s.promo > 0 || priority === "spam" ? "promotion" : "newsletter";
  let best: { category: Category; weight: number } | null = null;
  for (const group of KEYWORD_GROUPS) {
    if (!group.category || !keywordGroups.includes(group.id)) continue;
    if (!best || group.weight > best.weight) best = { category: group.category, weight: group.weight };
  }
  return best?.category ?? (priority === "spam" ? "promotion" : "other");
}

const CALL_WORDS =
  /\b(?:rappele[rz]|appele[rz]|appelez-moi|rappelez-moi|joindre|telephone|call me|give me a call|phone me|ring me)\b/;

function actionOf(s: Signals, priority: Priority): ActionKind {
  if (s.fraud === "bank_detail_change" || s.fraud === "urgent_transfer") return "call";
  if (priority === "spam") return "ignore";
  if (priority === "informational") return "read";
  const folded = fold(s.text);
  if (s.groups.sign) return "sign";
  if (CALL_WORDS.test(folded) || s.groups.legal || s.groups.blocked) return "call";
  if (s.groups.payment && s.amounts.length > 0 && !/\b(?:recu|received|credite|credited)\b/.test(folded))
    return "pay";
  return "reply";
}

/** What makes a short deadline matter: money, a contract, legal or tax weight, a blockage. */
function hasStakes(s: Signals): boolean {
  const g = s.groups;
  return (
    s.largestXof >= 1_000_000 ||
    Boolean(g.contract || g.sign || g.urgent || g.legal || g.taxAudit || g.tender || g.customs || g.blocked)
  );
}

function priorityOf(s: Signals, score: number): Priority {
  if (s.fraud === "bank_detail_change" || s.fraud === "urgent_transfer") return "critical";
  if (s.fraud === "phishing" || s.scam > 0) return "spam";
  if (s.autoReply) return "informational";
  const mass = s.bulk.length > 0;
  // Escalators: a court or tax-audit notice with money or a date; a deadline today or tomorrow
  // with stakes. Mass mail never escalates (a promotion "ends tonight").
  const severe = Boolean(s.groups.legal || s.groups.taxAudit);
  const soon = s.deadlineDays !== null && s.deadlineDays >= -1 && s.deadlineDays <= 1;
  const dated = s.deadlineDays !== null && s.deadlineDays >= -1 && s.deadlineDays <= 14;
  if (!mass && ((severe && (s.largestXof >= 1_000_000 || dated)) || (soon && hasStakes(s))))
    return "critical";
  if (score >= CRITICAL_SCORE) return "critical";
  if (score >= IMPORTANT_SCORE) return "important";
  const advertising = s.promo > 0 && (mass || s.promo >= 2);
  // An unsolicited email that tries to steer an AI, with nothing of substance, is hostile.
  const hostile = s.injection > 0 && !s.business && !mass;
  return (advertising || hostile) && score < 2 ? "spam" : "informational";
}

function summaryOf(
  msg: NormalizedMessage,
  s: Signals,
  category: Category,
  t: AnalysisText,
  ctx: AnalysisContext,
): string {
  const sender = senderName(msg);
  const subject = subjectOrPlaceholder(msg, t);
  if (s.fraud === "bank_detail_change") return t("summary.bankDetailChange", { sender });
  if (s.fraud === "urgent_transfer") return t("summary.urgentTransfer", { sender });
  if (s.fraud === "phishing") return t("summary.phishing", { subject });
  if (category === "auto_reply") return t("summary.autoReply", { sender });
  if (category === "promotion") return t("summary.promotion", { sender, subject });
  if (category === "newsletter") return t("summary.newsletter", { sender, subject });
  const first = s.amounts[0];
  if (first) return t("summary.withAmount", { sender, subject, amount: formatAmount(first, ctx.locale) });
  return t("summary.default", { sender, subject });
}

function reasonsOf(s: Signals, keywordGroups: string[], t: AnalysisText, ctx: AnalysisContext): string[] {
  const reasons: string[] = [];
  if (s.fraud === "phishing") reasons.push(t("reason.phishing"));
  else if (s.fraud) reasons.push(t("reason.fraud"));
  if (s.scam > 0) reasons.push(t("reason.scam"));
  if (s.injection > 0) reasons.push(t("reason.injection"));
  if (s.autoReply) reasons.push(t("reason.autoReply"));
  if (keywordGroups.length > 0) {
    reasons.push(t("reason.keywords", { groups: keywordGroups.map((g) => t(`group.${g}`)).join(", ") }));
  }
  const first = s.amounts[0];
  if (first) reasons.push(t("reason.amount", { amount: formatAmount(first, ctx.locale) }));
  if (s.deadline) reasons.push(deadlineReason(s.deadline, t));
  if (s.bulk.length > 0) reasons.push(t("reason.bulk", { signals: s.bulk.join(", ") }));
  if (s.promo > 0) reasons.push(t("reason.promo"));
  return reasons;
}

export function classifyWithRules(msg: NormalizedMessage, ctx: AnalysisContext, s: Signals): Analysis {
  const t = analysisText(ctx);
  const { score, keywordGroups } = scoreSignals(s);
  const priority = priorityOf(s, score);
  const category = categoryOf(s, keywordGroups, priority);
  const kind = actionOf(s, priority);
  const verify = s.fraud === "bank_detail_change" || s.fraud === "urgent_transfer";
  const distance = Math.abs(score - (priority === "critical" ? CRITICAL_SCORE : IMPORTANT_SCORE));
  return {
    priority,
    category,
    summary: summaryOf(msg, s, category, t, ctx),
    suggestedAction: { kind, phrase: t(verify ? "action.verifyByPhone" : `action.${kind}`) },
    deadline: s.deadline,
    amounts: s.amounts,
    fraudWarning: s.fraud ? t(`fraud.${s.fraud}`) : null,
    confidence: Math.round(Math.min(0.85, 0.5 + distance * 0.04) * 100) / 100,
    reasons: reasonsOf(s, keywordGroups, t, ctx),
    analyzer: "fallback",
  };
}
