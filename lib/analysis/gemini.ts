import type { ThinkingConfig } from "@google/genai";
import pRetry from "p-retry";
import { z } from "zod";
import { thinkingPlan } from "@/lib/analysis/gemini-thinking";
import type { ModelPrompt } from "@/lib/analysis/prompt";
import { type ModelOutput, modelOutputJsonSchema, modelOutputSchema } from "@/lib/analysis/schema";

/** Retry and time limits of one classification. Tests shrink the delays; nothing sleeps for real. */
export type GeminiCallOptions = {
  /** Whole call, retries included: past it the fallback decides. */
  deadlineMs: number;
  attemptTimeoutMs: number;
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxOutputTokens: number;
};

export const DEFAULT_GEMINI_CALL: GeminiCallOptions = {
  deadlineMs: 20_000,
  attemptTimeoutMs: 10_000,
  retries: 4,
  minDelayMs: 500,
  maxDelayMs: 4_000,
  maxOutputTokens: 1024,
};

export type GeminiFailure =
  | "invalid_json"
  | "schema"
  | "blocked"
  | "empty"
  | "rate_limited"
  | "server_error"
  | "client_error"
  | "timeout"
  | "network";

type Answer = { inputTokens: number | null; outputTokens: number | null } & (
  | { ok: true; output: ModelOutput }
  | { ok: false; why: GeminiFailure }
);
export type GeminiOutcome = Answer & { attempts: number };

// The part of GenerateContentResponse we rely on, checked rather than trusted.
const responseSchema = z.object({
  candidates: z
    .array(
      z.object({
        content: z
          .object({ parts: z.array(z.object({ text: z.string().optional() })).optional() })
          .optional(),
        finishReason: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z.object({ blockReason: z.string().optional() }).optional(),
  usageMetadata: z
    .object({ promptTokenCount: z.number().optional(), candidatesTokenCount: z.number().optional() })
    .optional(),
});

const BLOCKING_FINISH = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "LANGUAGE",
  "OTHER",
]);

type Sdk = typeof import("@google/genai");

function isRetryable(ApiError: Sdk["ApiError"], error: unknown): boolean {
  if (error instanceof ApiError) return error.status === 429 || error.status === 408 || error.status >= 500;
  // fetch failures (connection reset, DNS) are TypeErrors in Node; an aborted attempt is an AbortError.
  return error instanceof TypeError || (error instanceof Error && error.name === "AbortError");
}

function failureOf(ApiError: Sdk["ApiError"], error: unknown, deadlineHit: boolean): GeminiFailure {
  if (error instanceof ApiError) {
    if (error.status === 429) return "rate_limited";
    if (error.status >= 500) return "server_error";
    return "client_error";
  }
  if (
    deadlineHit ||
    (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError"))
  ) {
    return "timeout";
  }
  return "network";
}

function readAnswer(raw: unknown): Answer {
  const parsed = responseSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, why: "schema", inputTokens: null, outputTokens: null };
  const { candidates, promptFeedback, usageMetadata } = parsed.data;
  const tokens = {
    inputTokens: usageMetadata?.promptTokenCount ?? null,
    outputTokens: usageMetadata?.candidatesTokenCount ?? null,
  };
  if (promptFeedback?.blockReason) return { ok: false, why: "blocked", ...tokens };
  const candidate = candidates?.[0];
  const text = (candidate?.content?.parts ?? []).map((p) => p.text ?? "").join("");
  if (candidate?.finishReason && BLOCKING_FINISH.has(candidate.finishReason) && !text) {
    return { ok: false, why: "blocked", ...tokens };
  }
  if (!text.trim()) return { ok: false, why: "empty", ...tokens };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, why: "invalid_json", ...tokens };
  }
  const output = modelOutputSchema.safeParse(json);
  if (!output.success) return { ok: false, why: "schema", ...tokens };
  return { ok: true, output: output.data, ...tokens };
}

/**
 * One classification: system instruction apart from the email, JSON schema enforced, no tools,
 * thinking and output budget explicit (gemini-thinking.ts; no temperature: current models ignore
 * it). 429/5xx/network errors are retried with exponential backoff and jitter until
 * `deadlineMs`; every failure comes back as a value so the caller falls back.
 */
export async function classifyWithGemini(
  prompt: ModelPrompt,
  config: { apiKey: string; model: string },
  options: Partial<GeminiCallOptions> = {},
): Promise<GeminiOutcome> {
  const o = { ...DEFAULT_GEMINI_CALL, ...options };
  // Loaded on first use: the pre-filter, the fallback and a key-less CLI never pay for the SDK.
  const { ApiError, GoogleGenAI } = await import("@google/genai");
  const ai = new GoogleGenAI({ apiKey: config.apiKey, httpOptions: { timeout: o.attemptTimeoutMs } });
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DOMException("Gemini deadline", "TimeoutError")),
    o.deadlineMs,
  );
  let attempts = 0;
  const thinking = thinkingPlan(config.model, o.maxOutputTokens);
  try {
    const response = await pRetry(
      () => {
        attempts++;
        return ai.models.generateContent({
          model: config.model,
          contents: [{ role: "user", parts: [{ text: prompt.user }] }],
          config: {
            systemInstruction: prompt.system,
            responseMimeType: "application/json",
            responseJsonSchema: modelOutputJsonSchema,
            thinkingConfig: thinking.thinkingConfig as ThinkingConfig,
            maxOutputTokens: thinking.maxOutputTokens,
            abortSignal: deadline.signal,
          },
        });
      },
      {
        retries: o.retries,
        factor: 2,
        minTimeout: o.minDelayMs,
        maxTimeout: o.maxDelayMs,
        randomize: true,
        maxRetryTime: o.deadlineMs,
        signal: deadline.signal,
        shouldRetry: ({ error }) => isRetryable(ApiError, error),
      },
    );
    return { ...readAnswer(response), attempts };
  } catch (error) {
    return {
      ok: false,
      why: failureOf(ApiError, error, deadline.signal.aborted),
      inputTokens: null,
      outputTokens: null,
      attempts,
    };
  } finally {
    clearTimeout(timer);
  }
}
