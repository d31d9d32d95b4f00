import { type AnalysisUsage, type AnalyzeDeps, analyzeMessage } from "@/lib/analysis/analyze";
import { firstParagraph, stripQuotedAndSignature } from "@/lib/analysis/clean-body";
import type { AnalysisConfig } from "@/lib/analysis/config";
import type { AnalysisContext } from "@/lib/analysis/context";
import { buildPrompt, estimateTokens, llmInputText } from "@/lib/analysis/prompt";
import { type Analysis, PRIORITIES, type Priority } from "@/lib/analysis/schema";
import { priorityRank } from "@/lib/analysis/sender-rules";
import type { SignalSummary } from "@/lib/analysis/signal-summary";
import { readableBody, readableSubject } from "@/lib/analysis/text";
import type { TrustTier } from "@/lib/analysis/trust-gate";
import type { AttachmentReading } from "@/lib/attachments/schema";
import type { NormalizedMessage } from "@/lib/mail/types";

/*
 * Measures an analyzer against labelled emails: the numbers `npm run eval` prints for each split
 * and the tests assert (critical recall, critical mail buried, serious mail thrown into spam,
 * spam alerted, injections promoted, who decided, model input size).
 */

export type LabelledMessage = {
  id: string;
  label: Priority;
  injection: boolean;
  msg: NormalizedMessage;
  /** Reads the email's attachments, for sets that carry files (AnalyzeDeps.attachments). */
  attachments?: () => Promise<AttachmentReading[]>;
};

export type EvaluatedRow = LabelledMessage & {
  analysis: Analysis;
  usage: AnalysisUsage;
  signals: SignalSummary;
  /** Estimated tokens of the model input this email produces (whether or not it was sent). */
  promptTokens: number;
  /** What the model input lost among sender, subject and first paragraph (empty = nothing). */
  lost: string[];
};

export type Evaluation = {
  rows: EvaluatedRow[];
  /** confusion[label][predicted] = count. */
  confusion: Record<Priority, Record<Priority, number>>;
  accuracy: number;
  criticalRecall: number;
  /** Critical mail that ended informational or spam: never alerted. */
  criticalBuried: EvaluatedRow[];
  seriousToSpam: EvaluatedRow[];
  /** Spam raised to important or critical: a WhatsApp alert for spam. */
  spamAlerted: EvaluatedRow[];
  injections: EvaluatedRow[];
  injectionsAboveInformational: EvaluatedRow[];
  promptTokens: { median: number; max: number };
  decidedWithoutModel: number;
  /** How many emails each trust tier and each analyzer decided. */
  byTier: Record<TrustTier, number>;
  byAnalyzer: Record<Analysis["analyzer"], number>;
  /** Tokens the model really reported (null when no model was called). */
  modelTokens: { input: number; output: number; calls: number };
};

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2
    ? (sorted[mid] ?? 0)
    : Math.round(((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
}

/** Checks that the email inside the prompt kept its sender, subject and first paragraph. */
export function lostEssentials(msg: NormalizedMessage, user: string): string[] {
  const json = user.slice(user.indexOf("<email>") + 7, user.lastIndexOf("</email>"));
  const email = JSON.parse(json) as { from: string; subject: string; body: string };
  const lost: string[] = [];
  if (!email.from.includes(msg.from.address)) lost.push("sender");
  if (!email.subject || !readableSubject(msg.subject).startsWith(email.subject.replace(/ \[…\]$/, "")))
    lost.push("subject");
  const first = firstParagraph(stripQuotedAndSignature(readableBody(msg.text)));
  if (first && !email.body.startsWith(first.slice(0, 1000))) lost.push("first paragraph");
  return lost;
}

const count = <K extends string>(keys: readonly K[], values: K[]) =>
  Object.fromEntries(keys.map((k) => [k, values.filter((v) => v === k).length])) as Record<K, number>;

export async function evaluate(
  items: LabelledMessage[],
  ctx: (item: LabelledMessage) => AnalysisContext,
  config: AnalysisConfig,
  deps: (msg: NormalizedMessage) => AnalyzeDeps = (msg) => ({ now: () => new Date(msg.date) }),
): Promise<Evaluation> {
  const rows: EvaluatedRow[] = [];
  for (const item of items) {
    const context = ctx(item);
    const withFiles = item.attachments ? { attachments: item.attachments } : {};
    const { analysis, usage, signals } = await analyzeMessage(item.msg, context, config, {
      ...deps(item.msg),
      ...withFiles,
    });
    const prompt = buildPrompt(item.msg, context);
    rows.push({
      ...item,
      analysis,
      usage,
      signals,
      promptTokens: estimateTokens(llmInputText(prompt)),
      lost: lostEssentials(item.msg, prompt.user),
    });
  }
  const confusion = Object.fromEntries(
    PRIORITIES.map((l) => [l, Object.fromEntries(PRIORITIES.map((p) => [p, 0]))]),
  ) as Evaluation["confusion"];
  for (const row of rows) confusion[row.label][row.analysis.priority]++;
  const critical = rows.filter((r) => r.label === "critical");
  const injections = rows.filter((r) => r.injection);
  const got = (r: EvaluatedRow) => priorityRank(r.analysis.priority);
  const called = rows.filter((r) => r.usage.inputTokens !== null);
  return {
    rows,
    confusion,
    accuracy: rows.length ? rows.filter((r) => r.analysis.priority === r.label).length / rows.length : 1,
    criticalRecall: critical.length
      ? critical.filter((r) => r.analysis.priority === "critical").length / critical.length
      : 1,
    criticalBuried: critical.filter((r) => got(r) <= priorityRank("informational")),
    seriousToSpam: rows.filter(
      (r) => (r.label === "critical" || r.label === "important") && r.analysis.priority === "spam",
    ),
    spamAlerted: rows.filter((r) => r.label === "spam" && got(r) >= priorityRank("important")),
    injections,
    injectionsAboveInformational: injections.filter((r) => got(r) > priorityRank("informational")),
    promptTokens: {
      median: median(rows.map((r) => r.promptTokens)),
      max: Math.max(0, ...rows.map((r) => r.promptTokens)),
    },
    decidedWithoutModel: rows.filter((r) => r.analysis.analyzer === "prefilter").length,
    byTier: count(
      ["trusted", "direct", "untrusted"] as const,
      rows.map((r) => r.signals.tier),
    ),
    byAnalyzer: count(
      ["prefilter", "gemini", "fallback"] as const,
      rows.map((r) => r.analysis.analyzer),
    ),
    modelTokens: {
      input: called.reduce((n, r) => n + (r.usage.inputTokens ?? 0), 0),
      output: called.reduce((n, r) => n + (r.usage.outputTokens ?? 0), 0),
      calls: called.length,
    },
  };
}
