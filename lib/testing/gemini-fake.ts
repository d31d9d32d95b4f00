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

function respond(step: GeminiFakeStep, model: string): Response {
  const modelVersion = model;
  switch (step.kind) {
    case "reply":
    case "text": {
      const text = step.kind === "reply" ? JSON.stringify(step.json) : step.text;
      const finishReason = step.kind === "text" ? (step.finishReason ?? "STOP") : "STOP";
      const prompt = step.kind === "reply" ? (step.promptTokens ?? 812) : 812;
      const output = step.kind === "reply" ? (step.outputTokens ?? 96) : 96;
      return HttpResponse.json({
        candidates: [{ content: { role: "model", parts: [{ text }] }, finishReason, index: 0 }],
        usageMetadata: usage(prompt, output),
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
  summary: "Message sans action requise",
  suggestedAction: { kind: "read", phrase: "Lire plus tard" },
  deadline: null,
  amounts: [],
  fraudWarning: null,
  confidence: 0.8,
  reasons: ["Aucune action demandée"],
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
    return respond(steps.shift() ?? fallbackStep, model);
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
