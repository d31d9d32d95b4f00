/**
 * An estimate of what the model calls cost, in US dollars: tokens × the published paid-tier price of
 * Gemini's Flash-Lite class (ai.google.dev/gemini-api/docs/pricing: $0.10 per million input tokens,
 * $0.40 per million output tokens, text). A different model or a free-tier key changes the real
 * figure; the page says it is an estimate.
 */
export const USD_PER_MILLION_INPUT = 0.1;
export const USD_PER_MILLION_OUTPUT = 0.4;

export function llmCostUsd(inputTokens: number, outputTokens: number): number {
  return (inputTokens * USD_PER_MILLION_INPUT + outputTokens * USD_PER_MILLION_OUTPUT) / 1_000_000;
}
