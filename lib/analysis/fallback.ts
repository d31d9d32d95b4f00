import type { AnalysisContext } from "@/lib/analysis/context";
import { judge, type WhyKey } from "@/lib/analysis/judge";
import { CALL_REQUEST, KEYWORD_GROUPS } from "@/lib/analysis/keywords";
import { orderSide } from "@/lib/analysis/order-voice";
import { deadlineReason, inBothLanguages, ref } from "@/lib/analysis/present";
import type { ActionKind, Analysis, Category, Localized, Priority, TextRef } from "@/lib/analysis/schema";
import type { Signals } from "@/lib/analysis/signals";
import { realSummary } from "@/lib/analysis/summary";
import { fold, truncate } from "@/lib/analysis/text";
import {
  type FraudVerdict,
  fraudVerdict,
  isPaymentFraud,
  type TrustTier,
  trustTier,
} from "@/lib/analysis/trust-gate";
import type { NormalizedMessage } from "@/lib/mail/types";

/*
 * The transparent classifier used when Gemini is not configured or fails: the trust gate and the
 * rules' verdict (judge.ts), then category, action, the summary in both languages and the reasons
 * as catalogue keys, so every recipient can see why in their own language.
 */

function categoryOf(s: Signals, verdict: FraudVerdict, priority: Priority): Category {
  if (verdict === "phishing") return "security";
  if (verdict && verdict !== "scam") return "bank";
  if (s.autoReply) return "auto_reply";
  if (verdict === "scam" || (priority === "spam" && s.promo > 0)) return "promotion";
  if (s.bulk.length > 0) return s.promo > 0 ? "promotion" : s.newsletter > 0 ? "newsletter" : "notification";
  if (s.sender.automated && s.notice) return "notification";
  if (s.sender.relationship === "internal" && !s.groups.legal && !s.groups.taxAudit) {
    const business = KEYWORD_GROUPS.some((g) => g.category && g.category !== "meeting" && s.groups[g.id]);
    if (!business) return "internal";
  }
  let best: { category: Category; weight: number } | null = null;
  for (const group of KEYWORD_GROUPS) {
    if (!group.category || !s.groups[group.id]) continue;
    if (!best || group.weight > best.weight) best = { category: group.category, weight: group.weight };
  }
  if (best) return orderSide(s, best.category);
  return s.sender.automated ? "notification" : priority === "spam" ? "promotion" : "other";
}

/** Calling as the email's next step: asked for, or the verbs of it. */
const CALL_VERBS = /\b(?:rappele[rz]|appele[rz]|joindre|telephone)\b/;
const callNeeded = (folded: string) => CALL_VERBS.test(folded) || CALL_REQUEST.test(folded);

function actionOf(s: Signals, verdict: FraudVerdict, priority: Priority): ActionKind {
  if (isPaymentFraud(verdict) || verdict === "announced_payee_change") return "call";
  if (priority === "spam") return "ignore";
  if (priority === "informational") return "read";
  const folded = fold(s.text);
  if (s.groups.sign) return "sign";
  // A phone number from a stranger never becomes "call them".
  if ((callNeeded(folded) && s.sender.relationship !== "first_contact") || s.groups.legal || s.groups.blocked)
    return "call";
  if (s.groups.payment && s.amounts.length > 0 && !/\b(?:recu|received|credite|credited)\b/.test(folded))
    return "pay";
  return "reply";
}

/** What the email is, for the kinds the rules name; otherwise what the sender wants (summary.ts). */
function summaryOf(s: Signals, verdict: FraudVerdict, category: Category, ctx: AnalysisContext): Localized {
  const key =
    verdict === "payee_change" || verdict === "possible_payee_change" || verdict === "announced_payee_change"
      ? "summary.bankDetailChange"
      : verdict === "urgent_transfer" || verdict === "urgent_transfer_attempt"
        ? "summary.urgentTransfer"
        : verdict === "spoofed_payment"
          ? "summary.spoofedPayment"
          : verdict === "phishing"
            ? "summary.phishing"
            : category === "auto_reply" || category === "promotion" || category === "newsletter"
              ? `summary.${category === "auto_reply" ? "autoReply" : category}`
              : null;
  return key ? inBothLanguages(ctx.timeZone, (t) => t(key)) : realSummary(s, ctx);
}

/** Who the sender is, in one reason: the first thing a manager checks. */
export function senderReason(s: Signals, tier: TrustTier): TextRef {
  const x = s.sender;
  if (x.emptyFrom) return ref("reason.emptyFrom");
  if (x.impersonation) return ref("reason.impersonation");
  if (x.lookalike) return ref("reason.lookalike");
  const auth = { key: `authentication.${x.authentication}` };
  if (x.mailboxProvider && x.relationship === "first_contact") return ref("reason.mailboxProvider");
  if (tier === "trusted" && x.relationship === "first_contact") return ref("reason.trustedRule", { auth });
  return ref(`relationship.${x.relationship}`, { auth });
}

function reasonsOf(s: Signals, tier: TrustTier, verdict: FraudVerdict, why: WhyKey[]): TextRef[] {
  const reasons: TextRef[] = [senderReason(s, tier)];
  if (s.sender.crm) reasons.push(ref(`reason.crm.${s.sender.crm}`));
  if (verdict === "phishing") reasons.push(ref("reason.phishing"));
  else if (verdict === "scam") reasons.push(ref("reason.scam"));
  else if (verdict) reasons.push(ref("reason.fraud"));
  if (s.sender.replyToDiverts) reasons.push(ref("reason.replyToDiverts"));
  if (s.injection > 0) reasons.push(ref("reason.injection"));
  if (s.autoReply) reasons.push(ref("reason.autoReply"));
  for (const key of why) reasons.push(ref(`reason.${key}`));
  const groups = Object.keys(s.groups);
  if (groups.length > 0)
    reasons.push(ref("reason.keywords", { groups: { keys: groups.map((g) => `group.${g}`) } }));
  const first = s.amounts[0];
  if (first) reasons.push(ref("reason.amount", { amount: { amount: first } }));
  if (s.deadline) reasons.push(deadlineReason(s.deadline));
  for (const a of s.attachments) {
    reasons.push(ref("reason.attachment", { name: truncate(a.name, 60), found: a.findings.summary }));
  }
  if (s.bulk.length > 0) reasons.push(ref("reason.bulk", { signals: s.bulk.join(", ") }));
  if (s.promo > 0) reasons.push(ref("reason.promo"));
  return reasons;
}

// The message itself is no longer read: everything, the summary included, comes from its signals.
export function classifyWithRules(_msg: NormalizedMessage, ctx: AnalysisContext, s: Signals): Analysis {
  const tier = trustTier(s);
  const verdict = fraudVerdict(s, tier);
  const { priority, why } = judge(s, tier, verdict);
  const category = categoryOf(s, verdict, priority);
  const kind = actionOf(s, verdict, priority);
  // Every verdict but a scam carries its warning (a scam is spam: nothing to warn about).
  const fraudKey =
    verdict === "scam" ? null : verdict === "urgent_transfer_attempt" ? "urgent_transfer" : verdict;
  const spam = priority === "spam";
  return {
    priority,
    category,
    summary: summaryOf(s, verdict, category, ctx),
    suggestedAction: {
      kind,
      phrase: inBothLanguages(ctx.timeZone, (t) =>
        t(
          isPaymentFraud(verdict) || verdict === "announced_payee_change"
            ? "action.verifyByPhone"
            : `action.${kind}`,
        ),
      ),
    },
    // Spam shows no deadline and no amounts: "offer ends tonight" is not the manager's deadline.
    deadline: spam ? null : s.deadline,
    amounts: spam ? [] : s.amounts,
    fraudWarning: fraudKey ? ref(`fraud.${fraudKey}`) : null,
    confidence: confidenceOf(s, tier, verdict),
    reasons: reasonsOf(s, tier, verdict, why),
    analyzer: "fallback",
  };
}

/** How sure the rules are: clear-cut evidence (fraud, mass mail, a known sender's deadline) scores higher. */
function confidenceOf(s: Signals, tier: TrustTier, verdict: FraudVerdict): number {
  let c = 0.55;
  if (verdict) c += 0.2;
  if (s.bulk.length > 0 || s.sender.emptyFrom) c += 0.2;
  if (tier === "trusted" && s.sender.authentication === "pass") c += 0.1;
  if (s.deadline) c += 0.05;
  return Math.round(Math.min(0.9, c) * 100) / 100;
}
