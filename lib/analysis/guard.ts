import type { AnalysisContext } from "@/lib/analysis/context";
import { toZonedIso } from "@/lib/analysis/extract-deadline";
import { analysisText } from "@/lib/analysis/present";
import { type Analysis, isoWithOffsetSchema, type ModelOutput } from "@/lib/analysis/schema";
import { maxPriority, minPriority, priorityRank, senderRuleEffect } from "@/lib/analysis/sender-rules";
import type { Signals } from "@/lib/analysis/signals";
import { truncate } from "@/lib/analysis/text";

/*
 * The model's answer is an opinion about untrusted text, so the deterministic checks have the
 * last word where safety is at stake: a payment-fraud signal is never dropped, an email whose
 * urgency comes from instructions to an AI is capped at what the rules see without them, and
 * an email with money, a deadline or legal weight is never thrown into spam.
 */

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
  const t = analysisText(ctx);
  const extra: string[] = [];
  let priority = output.priority;
  if (s.injection > 0 && priorityRank(priority) > priorityRank(rules.priority)) {
    priority = minPriority(priority, rules.priority);
    extra.push(t("reason.injectionCap"));
  }
  const paymentFraud = s.fraud === "bank_detail_change" || s.fraud === "urgent_transfer";
  if (paymentFraud && priority !== "critical") {
    priority = "critical";
    extra.push(t("reason.fraudFloor"));
  }
  if (priority === "spam" && s.business && s.fraud !== "phishing" && priorityRank(rules.priority) >= 2) {
    priority = maxPriority(priority, "informational");
    extra.push(t("reason.safetyFloor"));
  }
  const amounts = s.amounts.length > 0 ? s.amounts : output.amounts.filter((a) => a.value > 0).slice(0, 10);
  const fraudWarning = output.fraudWarning?.trim() ? truncate(output.fraudWarning, 300) : rules.fraudWarning;
  return {
    priority,
    category: paymentFraud ? rules.category : output.category,
    summary: truncate(output.summary, 200) || rules.summary,
    suggestedAction: {
      kind: paymentFraud ? "call" : output.suggestedAction.kind,
      phrase: paymentFraud
        ? rules.suggestedAction.phrase
        : truncate(output.suggestedAction.phrase, 120) || rules.suggestedAction.phrase,
    },
    deadline: modelDeadline(output.deadline, s, ctx, reference),
    amounts,
    fraudWarning,
    confidence: output.confidence,
    reasons: [...output.reasons.slice(0, 6).map((r) => truncate(r, 300)), ...extra].filter(Boolean),
    analyzer: "gemini",
  };
}

/** Sender rules, last: VIP raises, muted lowers, blocked is spam (analysis.ts applies this to every analyzer). */
export function applySenderRule(analysis: Analysis, s: Signals, ctx: AnalysisContext): Analysis {
  const kind = s.senderRule;
  const effect = senderRuleEffect(kind, analysis, s.amounts.length > 0 || s.deadline !== null);
  if (!kind || !effect.changed) return analysis;
  const t = analysisText(ctx);
  const actions = { spam: "ignore", informational: "read" } as const;
  const kindAfter =
    effect.priority === "spam" || effect.priority === "informational" ? actions[effect.priority] : null;
  return {
    ...analysis,
    priority: effect.priority,
    suggestedAction: kindAfter
      ? { kind: kindAfter, phrase: t(`action.${kindAfter}`) }
      : analysis.suggestedAction,
    reasons: [...analysis.reasons, t(`reason.${kind}`)].slice(-12),
  };
}
