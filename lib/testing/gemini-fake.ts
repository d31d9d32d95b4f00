import { delay, HttpResponse, http } from "msw";

/*
 * Fake of Gemini's REST `models.generateContent`
 * (POST https://generativelanguage.googleapis.com/v1beta/models/{model}:generateContent), shaped
 * like the documented GenerateContentResponse: candidates[].content.parts[].text, finishReason,
 * promptFeedback.blockReason, usageMetadata.{prompt,candidates,total}TokenCount. Errors use
 * Google's JSON error body ({ error: { code, message, status } }).
 *
 * Usage: `const gemini = geminiFake({ steps: [{ kind: "error", status: 429 }] });
 * server.use(...gemini.handlers);` then assert on `gemini.requests`.
 */

export const GEMINI_GENERATE_URL = "https://generativelanguage.googleapis.com/:version/models/:action";

export type GeminiFakeStep =
  /** A valid answer: `json` is serialised into the candidate's text part. */
  | { kind: "reply"; json: unknown; promptTokens?: number; outputTokens?: number }
  /** Raw candidate text (e.g. not JSON, or truncated JSON). */
  | { kind: "text"; text: string; finishReason?: string }
  /** Prompt blocked: no candidates, promptFeedback.blockReason set. */
  | { kind: "blocked"; blockReason?: string }
  /** A candidate with no content (finishReason SAFETY by default). */
  | { kind: "empty"; finishReason?: string }
  | { kind: "error"; status: number; message?: string };

export type RecordedGeminiRequest = {
  model: string;
  apiVersion: string;
  /** The x-goog-api-key header (the SDK's way of sending the key). */
  apiKey: string | null;
  body: GeminiRequestBody;
};

/** The REST request body the SDK sends (only the fields tests look at are typed). */
export type GeminiRequestBody = {
  contents?: { role?: string; parts?: { text?: string }[] }[];
  systemInstruction?: { role?: string; parts?: { text?: string }[] };
  generationConfig?: {
    responseMimeType?: string;
    responseJsonSchema?: unknown;
    responseSchema?: unknown;
    temperature?: number;
    maxOutputTokens?: number;
    thinkingConfig?: { thinkingBudget?: number; thinkingLevel?: string; includeThoughts?: boolean };
  };
  tools?: unknown[];
};

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

function usage(prompt: number, output: number) {
  return { promptTokenCount: prompt, candidatesTokenCount: output, totalTokenCount: prompt + output };
}

/**
 * What Gemini refuses in a thinking configuration (the `@google/genai` ThinkingConfig type and
 * Google's thinking guide): a level and a budget together; a level on a 2.x model, which only takes
 * a budget; a level outside MINIMAL/LOW/MEDIUM/HIGH; turning thinking off (budget 0) where it
 * cannot be (2.5 Pro, Gemini 3). Null when the request is acceptable.
 */
function thinkingViolation(model: string, config: GeminiRequestBody["generationConfig"]): string | null {
  const thinking = config?.thinkingConfig;
  if (!thinking) return null;
  const v2 = model.startsWith("gemini-2");
  if (thinking.thinkingLevel !== undefined && thinking.thinkingBudget !== undefined) {
    return "thinking_budget and thinking_level cannot be set together";
  }
  if (thinking.thinkingLevel !== undefined) {
    if (v2) return "thinking_level is not supported by this model; use thinking_budget";
    if (!["MINIMAL", "LOW", "MEDIUM", "HIGH"].includes(thinking.thinkingLevel.toUpperCase())) {
      return `Invalid value at 'generation_config.thinking_config.thinking_level', "${thinking.thinkingLevel}"`;
    }
  }
  if (thinking.thinkingBudget === 0 && (!v2 || model.startsWith("gemini-2.5-pro"))) {
    return "This model only works in thinking mode";
  }
  return null;
}

/**
 * Thought tokens a request leaves room for: a model that thinks by default (every 2.5 and 3 model)
 * thinks dynamically — here 1,500 tokens — unless told otherwise, and thoughts are drawn from
 * maxOutputTokens, so a JSON-sized budget is spent before the answer is written.
 */
function thoughtTokens(config: GeminiRequestBody["generationConfig"]): number {
  const thinking = config?.thinkingConfig;
  if (thinking?.thinkingBudget !== undefined)
    return thinking.thinkingBudget < 0 ? 1500 : thinking.thinkingBudget;
  const level = thinking?.thinkingLevel?.toUpperCase();
  return level === "MINIMAL" ? 40 : level === "LOW" ? 300 : level === "MEDIUM" ? 800 : 1500;
}

function respond(step: GeminiFakeStep, model: string, body: GeminiRequestBody): Response {
  const modelVersion = model;
  switch (step.kind) {
    case "reply":
    case "text": {
      let text = step.kind === "reply" ? JSON.stringify(step.json) : step.text;
      let finishReason = step.kind === "text" ? (step.finishReason ?? "STOP") : "STOP";
      const prompt = step.kind === "reply" ? (step.promptTokens ?? 812) : 812;
      let output = step.kind === "reply" ? (step.outputTokens ?? 96) : 96;
      const thoughts = thoughtTokens(body.generationConfig);
      const limit = body.generationConfig?.maxOutputTokens ?? 65_536;
      if (thoughts + output > limit) {
        // Out of output budget mid-answer: Gemini returns what it wrote, cut, with MAX_TOKENS.
        const room = Math.max(0, limit - thoughts);
        text = text.slice(0, Math.floor((text.length * room) / Math.max(1, output)));
        output = room;
        finishReason = "MAX_TOKENS";
      }
      return HttpResponse.json({
        candidates: [{ content: { role: "model", parts: text ? [{ text }] : [] }, finishReason, index: 0 }],
        usageMetadata: { ...usage(prompt, output), thoughtsTokenCount: Math.min(thoughts, limit) },
        modelVersion,
        responseId: "fake-response-id",
      });
    }
    case "blocked":
      return HttpResponse.json({
        promptFeedback: {
          blockReason: step.blockReason ?? "SAFETY",
          safetyRatings: [{ category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH" }],
        },
        usageMetadata: { promptTokenCount: 812, totalTokenCount: 812 },
        modelVersion,
      });
    case "empty":
      return HttpResponse.json({
        candidates: [{ finishReason: step.finishReason ?? "SAFETY", index: 0 }],
        usageMetadata: usage(812, 0),
        modelVersion,
      });
    case "error":
      return HttpResponse.json(
        {
          error: {
            code: step.status,
            message: step.message ?? `fake error ${step.status}`,
            status: STATUS_NAMES[step.status] ?? "UNKNOWN",
          },
        },
        { status: step.status },
      );
  }
}

export type GeminiFakeOptions = {
  /** Answers in order, one per request. */
  steps?: GeminiFakeStep[];
  /** The answer once `steps` are used up (default: a valid informational analysis). */
  afterwards?: GeminiFakeStep;
  /** Simulated latency of every answer, in milliseconds. */
  latencyMs?: number;
};

/** A plausible, schema-valid model answer. */
export const SAMPLE_MODEL_ANSWER = {
  priority: "informational",
  category: "other",
  summary: { fr: "Message sans action requise", en: "Message with nothing to do" },
  suggestedAction: { kind: "read", phrase: { fr: "Lire plus tard", en: "Read later" } },
  deadline: null,
  amounts: [],
  fraudWarning: null,
  confidence: 0.8,
  reasons: [{ fr: "Aucune action demandée", en: "Nothing is asked" }],
};

export function geminiFake(options: GeminiFakeOptions = {}) {
  const requests: RecordedGeminiRequest[] = [];
  const steps = [...(options.steps ?? [])];
  const fallbackStep = options.afterwards ?? { kind: "reply", json: SAMPLE_MODEL_ANSWER };
  const handler = http.post(GEMINI_GENERATE_URL, async ({ request, params }) => {
    const action = String(params.action);
    if (!action.endsWith(":generateContent")) {
      return HttpResponse.json(
        { error: { code: 404, message: "not faked", status: "NOT_FOUND" } },
        { status: 404 },
      );
    }
    const model = action.slice(0, -":generateContent".length);
    const body = (await request.json()) as GeminiRequestBody;
    requests.push({
      model,
      apiVersion: String(params.version),
      apiKey: request.headers.get("x-goog-api-key"),
      body,
    });
    if (options.latencyMs) await delay(options.latencyMs);
    const refused = thinkingViolation(model, body.generationConfig);
    if (refused) return respond({ kind: "error", status: 400, message: refused }, model, body);
    return respond(steps.shift() ?? fallbackStep, model, body);
  });
  return { handlers: [handler], requests };
}

/** The text of the user turn of a recorded request (the delimited email). */
export function userText(request: RecordedGeminiRequest): string {
  return (request.body.contents ?? [])
    .flatMap((c) => c.parts ?? [])
    .map((p) => p.text ?? "")
    .join("\n");
}

/** The system instruction of a recorded request. */
export function systemText(request: RecordedGeminiRequest): string {
  return (request.body.systemInstruction?.parts ?? []).map((p) => p.text ?? "").join("\n");
}
