/**
 * Analysis configuration, handed in by the caller (jobs, CLI): this folder never reads the
 * environment. Without an API key the local fallback classifier decides.
 */
export type AnalysisConfig = { geminiApiKey: string | null; geminiModel: string };

/** The one default model: a current, fast flash-lite class model (stable since July 2026). */
export const DEFAULT_GEMINI_MODEL = "gemini-3.5-flash-lite";

/** Builds the config from the validated environment (`env` of lib/env.ts) or any similar record. */
export function analysisConfigFrom(vars: { GEMINI_API_KEY?: string; GEMINI_MODEL?: string }): AnalysisConfig {
  const key = vars.GEMINI_API_KEY?.trim();
  const model = vars.GEMINI_MODEL?.trim();
  return { geminiApiKey: key ? key : null, geminiModel: model ? model : DEFAULT_GEMINI_MODEL };
}
