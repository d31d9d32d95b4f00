import { withAttachments } from "@/lib/analysis/attachment-signals";
import type { AnalysisConfig } from "@/lib/analysis/config";
import type { AnalysisContext } from "@/lib/analysis/context";
import { yieldToEventLoop } from "@/lib/analysis/cooperate";
import { classifyWithRules } from "@/lib/analysis/fallback";
import { classifyWithGemini, type GeminiCallOptions } from "@/lib/analysis/gemini";
import { applySenderRule, guardModelOutput } from "@/lib/analysis/guard";
import { prefilter } from "@/lib/analysis/prefilter";
import { ref } from "@/lib/analysis/present";
import { asPromotion } from "@/lib/analysis/promotions";
import { buildPrompt, estimateTokens, llmInputText } from "@/lib/analysis/prompt";
import { type Analysis, analysisSchema, isoWithOffsetSchema, type Localized } from "@/lib/analysis/schema";
import { type SignalSummary, summarizeSignals } from "@/lib/analysis/signal-summary";
import { computeSignalsCooperatively } from "@/lib/analysis/signals";
import { truncate } from "@/lib/analysis/text";
import { DEFAULT_ATTACHMENT_LIMITS } from "@/lib/attachments/limits";
import type { AttachmentReading, AttachmentReport } from "@/lib/attachments/schema";
import { notRead } from "@/lib/attachments/select";
import type { NormalizedMessage } from "@/lib/mail/types";

export type { AnalysisContext } from "@/lib/analysis/context";

export type AnalysisUsage = {
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number;
  /** Characters ÷ 4 of everything sent to the model; 0 when no model was called. */
  estimatedInputTokens: number;
};

export type AnalysisResult = {
  analysis: Analysis;
  usage: AnalysisUsage;
  signals: SignalSummary;
  /** One report per attachment of the email — read, skipped or unreadable, and why — without text. */
  attachments: AttachmentReport[];
};

export type AnalyzeDeps = {
  /** "Now" for deadline proximity (tests, evaluation of old mail). */
  now?: () => Date;
  /** Retry/time limits of the Gemini call (tests shrink them). */
  gemini?: Partial<GeminiCallOptions>;
  /**
   * Reads the email's attachments (lib/attachments' readAttachments bound to the provider). Called
   * only when the pre-filter does not decide, so mass mail, auto-replies and muted or blocked
   * senders cost no download. Its findings feed both analyzers through the same trust gate as the
   * body's; the text, for Gemini's excerpts, stays in this call's memory.
   */
  attachments?: () => Promise<AttachmentReading[]>;
  /**
   * The signals pass's budget of work (pauses excluded); past it the analysis throws a
   * `TimeoutError` and the job retries. Bounded inputs keep a real email far below it.
   */
  workBudgetMs?: number;
};

/** About twenty times what the largest hostile email costs on a loaded machine. */
export const ANALYSIS_WORK_BUDGET_MS = 20_000;

/**
 * Every generated field within the stored schema's bounds by construction: a long subject or an
 * amount never makes a summary too long for the row, a date far in the future (year 20000) is no
 * deadline, and ten amounts are plenty. A deterministic email must never fail its analysis.
 */
function boundedText(text: Localized, max: number): Localized {
  return { fr: truncate(text.fr, max) || "—", en: truncate(text.en, max) || "—" };
}

function bounded(a: Analysis): Analysis {
  const deadline = a.deadline && isoWithOffsetSchema.safeParse(a.deadline).success ? a.deadline : null;
  return {
    ...a,
    summary: boundedText(a.summary, 200),
    suggestedAction: { kind: a.suggestedAction.kind, phrase: boundedText(a.suggestedAction.phrase, 120) },
    deadline,
    amounts: a.amounts.filter((x) => Number.isFinite(x.value) && x.value >= 0 && x.value < 1e15).slice(0, 10),
    reasons: a.reasons.slice(0, 12),
    confidence: Math.min(1, Math.max(0, Number.isFinite(a.confidence) ? a.confidence : 0.5)),
  };
}

/**
 * Pre-filter → attachments (`deps.attachments`, when the pre-filter did not decide) → Gemini (when
 * a key is configured) → rules, then sender rules. The pre-filter deciding means no model call
 * and no attachment download at all. Never throws for a model failure: the rules decide and
 * the reasons say why.
 */
export async function analyzeMessage(
  msg: NormalizedMessage,
  ctx: AnalysisContext,
  config: AnalysisConfig,
  deps: AnalyzeDeps = {},
): Promise<AnalysisResult> {
  const started = performance.now();
  const now = deps.now?.() ?? new Date();
  // The signals pass pauses for the event loop between its parsers, and so does what follows:
  // one large email never holds webhooks and health checks for more than one bounded step.
  let signals = await computeSignalsCooperatively(msg, ctx, now, {
    budgetMs: deps.workBudgetMs ?? ANALYSIS_WORK_BUDGET_MS,
  });
  await yieldToEventLoop();
  const usage: AnalysisUsage = {
    model: null,
    inputTokens: null,
    outputTokens: null,
    latencyMs: 0,
    estimatedInputTokens: 0,
  };
  let analysis = prefilter(msg, ctx, signals);
  let attachments: AttachmentReport[] = [];

  if (analysis) {
    if (deps.attachments) attachments = notRead(msg.attachments, DEFAULT_ATTACHMENT_LIMITS, "prefiltered");
  } else {
    const readings = deps.attachments ? await deps.attachments() : [];
    attachments = readings.map((r) => r.report);
    signals = withAttachments(signals, readings, now, ctx.timeZone);
    const rules = classifyWithRules(msg, ctx, signals);
    await yieldToEventLoop();
    if (config.geminiApiKey) {
      const prompt = buildPrompt(msg, ctx, signals, readings);
      await yieldToEventLoop();
      usage.model = config.geminiModel;
      usage.estimatedInputTokens = estimateTokens(llmInputText(prompt));
      const outcome = await classifyWithGemini(
        prompt,
        { apiKey: config.geminiApiKey, model: config.geminiModel },
        deps.gemini,
      );
      usage.inputTokens = outcome.inputTokens;
      usage.outputTokens = outcome.outputTokens;
      const sent = new Date(msg.date);
      analysis = outcome.ok
        ? guardModelOutput(outcome.output, rules, signals, ctx, Number.isNaN(sent.getTime()) ? now : sent)
        : {
            ...rules,
            reasons: [ref("reason.geminiFailed", { why: { key: `why.${outcome.why}` } }), ...rules.reasons],
          };
    } else {
      analysis = { ...rules, reasons: [ref("reason.noKey"), ...rules.reasons] };
    }
  }

  // A sender rule ("toujours spam", blocked) still has the last word over a promotion.
  analysis = applySenderRule(asPromotion(analysis, signals), signals, ctx);
  const parsed = analysisSchema.parse(bounded(analysis));
  usage.latencyMs = Math.round(performance.now() - started);
  return { analysis: parsed, usage, signals: summarizeSignals(signals), attachments };
}
