import type { AnalysisContext } from "@/lib/analysis/context";
import { toZonedIso } from "@/lib/analysis/extract-deadline";
import { inBothLanguages, ref } from "@/lib/analysis/present";
import {
  type Analysis,
  isoWithOffsetSchema,
  type Localized,
  type ModelOutput,
  type TextRef,
} from "@/lib/analysis/schema";
import { maxPriority, minPriority, priorityRank, senderRuleEffect } from "@/lib/analysis/sender-rules";
import type { Signals } from "@/lib/analysis/signals";
import { truncate } from "@/lib/analysis/text";
import { capOf, fraudVerdict, isPaymentFraud, trustTier } from "@/lib/analysis/trust-gate";

/*
 * The model's answer is an opinion about untrusted text, so the deterministic checks have the
 * last word where safety is at stake — but only with evidence that survives the trust gate:
 * - payment fraud against a real relationship is critical whatever the model says;
 * - a rules verdict of phishing or scam caps the model (it cannot talk a phishing email up);
 * - an unauthenticated or mass-mailed first contact is capped like in the fallback;
 * - urgency that comes from instructions to an AI is capped at what the rules see without them;
 * - money, a deadline or legal weight from someone the owner deals with is never spam;
 * - a fraud warning the model invents without any evidence is shown as "possible";
 * - a phone number from an unverified sender never becomes the suggested action.
 */

const PHONE = /(?:\+|00)?\d[\d ().-]{6,}\d/;

/** The model's text in both languages within `max`; a language it left empty takes the other's. */
function modelText(text: Localized | null | undefined, max: number): Localized | null {
  const fr = truncate(text?.fr?.trim() ?? "", max);
  const en = truncate(text?.en?.trim() ?? "", max);
  if (!fr && !en) return null;
  return { fr: fr || en, en: en || fr };
}

function modelDeadline(
  value: string | null,
  s: Signals,
  ctx: AnalysisContext,
  reference: Date,
): string | null {
  if (value && isoWithOffsetSchema.safeParse(value).success) {
    const date = new Date(value);
    // A model date more than a day in the past is a misreading ("échue le 5 novembre").
    if (!Number.isNaN(date.getTime()) && date.getTime() >= reference.getTime() - 86_400_000) {
      return toZonedIso(date, ctx.timeZone);
    }
  }
  return s.deadline;
}

export function guardModelOutput(
  output: ModelOutput,
  rules: Analysis,
  s: Signals,
  ctx: AnalysisContext,
  reference: Date,
): Analysis {
  const tier = trustTier(s);
  const verdict = fraudVerdict(s, tier);
  const extra: TextRef[] = [];
  let priority = output.priority;
  const cap = (to: typeof priority, reason: string) => {
    if (priorityRank(priority) > priorityRank(to)) {
      priority = to;
      extra.push(ref(reason));
    }
  };
  if (s.injection > 0) cap(minPriority(priority, rules.priority), "reason.injectionCap");
  if (verdict === "phishing" || verdict === "scam") cap(rules.priority, "reason.phishingCap");
  // The gate binds the model as it binds the rules: a stranger's email rises no further than its
  // tier allows, however the model reads it.
  if (tier !== "trusted") cap(capOf(s, tier), "reason.gateCap");
  const paymentFraud = isPaymentFraud(verdict);
  // A genuine change announced ahead still needs the finance team: never below important.
  if (verdict === "announced_payee_change" && priorityRank(priority) < priorityRank("important")) {
    priority = "important";
    extra.push(ref("reason.fraudFloor"));
  }
  if (paymentFraud && priority !== "critical") {
    priority = "critical";
    extra.push(ref("reason.fraudFloor"));
  }
  if (
    priority === "spam" &&
    s.business &&
    tier !== "untrusted" &&
    !verdict &&
    priorityRank(rules.priority) >= 2
  ) {
    priority = maxPriority(priority, "informational");
    extra.push(ref("reason.safetyFloor"));
  }

  const invented = modelText(output.fraudWarning, 200);
  let fraudWarning = rules.fraudWarning;
  if (!fraudWarning && invented) {
    fraudWarning = ref("fraud.possible", { warning: invented });
    extra.push(ref("reason.fraudModelOnly"));
  }

  const unverified = s.sender.relationship === "first_contact" && s.sender.authentication !== "pass";
  const modelAction = output.suggestedAction;
  const strangerPhone =
    unverified &&
    (modelAction.kind === "call" || PHONE.test(modelAction.phrase.fr) || PHONE.test(modelAction.phrase.en));
  const useRulesAction = paymentFraud || strangerPhone;
  const spam = priority === "spam";
  return {
    priority,
    category: paymentFraud ? rules.category : output.category,
    summary: modelText(output.summary, 200) ?? rules.summary,
    suggestedAction: useRulesAction
      ? rules.suggestedAction
      : {
          kind: modelAction.kind,
          phrase: modelText(modelAction.phrase, 120) ?? rules.suggestedAction.phrase,
        },
    deadline: spam ? null : modelDeadline(output.deadline, s, ctx, reference),
    amounts: spam
      ? []
      : s.amounts.length > 0
        ? s.amounts
        : output.amounts.filter((a) => a.value > 0).slice(0, 10),
    fraudWarning,
    confidence: output.confidence,
    reasons: [
      ...rules.reasons.slice(0, 1),
      ...output.reasons
        .slice(0, 5)
        .flatMap((r) => modelText(r, 300) ?? [])
        .map((text) => ref("text", { text })),
      ...extra,
    ],
    analyzer: "gemini",
  };
}

/**
 * Sender rules, last, whatever analyzer decided: VIP raises, muted lowers, blocked is spam, a
 * priority rule sets the user's verdict. A rule never reaches a sender whose authentication failed
 * (the address is being spoofed), and never lowers payment fraud.
 */
export function applySenderRule(analysis: Analysis, s: Signals, ctx: AnalysisContext): Analysis {
  const rule = s.rule;
  if (!rule || s.sender.authentication === "fail") return analysis;
  const effect = senderRuleEffect(rule, analysis, s.amounts.length > 0 || s.deadline !== null);
  if (!effect.changed) return analysis;
  const fraud = isPaymentFraud(fraudVerdict(s, trustTier(s)));
  if (fraud && priorityRank(effect.priority) < priorityRank(analysis.priority)) return analysis;
  const actions = { spam: "ignore", informational: "read" } as const;
  const kindAfter =
    effect.priority === "spam" || effect.priority === "informational" ? actions[effect.priority] : null;
  const reason =
    rule.kind === "priority"
      ? ref("reason.setRule", { priority: { key: `priority.${effect.priority}` } })
      : ref(`reason.${rule.kind}`);
  return {
    ...analysis,
    priority: effect.priority,
    suggestedAction: kindAfter
      ? { kind: kindAfter, phrase: inBothLanguages(ctx.timeZone, (t) => t(`action.${kindAfter}`)) }
      : analysis.suggestedAction,
    reasons: [...analysis.reasons, reason].slice(-12),
  };
}
