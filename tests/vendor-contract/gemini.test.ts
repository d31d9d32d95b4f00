import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_GEMINI_MODEL } from "@/lib/analysis/config";
import { classifyWithGemini } from "@/lib/analysis/gemini";
import { geminiFake } from "@/lib/testing/gemini-fake";
import { server } from "@/lib/testing/msw";

/**
 * Gemini's generateContent contract as `@google/genai` types it and Google's thinking guide
 * describes it (rules in lib/testing/gemini-fake.ts): thinking models spend output tokens on
 * thoughts, and a thinking configuration the model does not take is refused.
 */

const prompt = { system: "Classe cet e-mail.", user: "<email>\n{}\n</email>" };
const fast = { retries: 0, minDelayMs: 1, maxDelayMs: 1 };
let gemini: ReturnType<typeof geminiFake>;

beforeEach(() => {
  gemini = geminiFake();
  server.use(...gemini.handlers);
});

describe("thinking and output budget", () => {
  it.each([
    [DEFAULT_GEMINI_MODEL, { thinkingLevel: "LOW" }],
    ["gemini-3.1-pro-preview", { thinkingLevel: "LOW" }],
    ["gemini-2.5-flash", { thinkingBudget: 0 }],
    ["gemini-2.5-pro", { thinkingBudget: 128 }],
  ])("%s answers whole JSON: thinking stated, no temperature, room for thoughts", async (model, thinking) => {
    const outcome = await classifyWithGemini(prompt, { apiKey: "k", model }, fast);
    expect(outcome).toMatchObject({ ok: true });
    const config = gemini.requests[0]!.body.generationConfig!;
    expect(config.thinkingConfig).toEqual(thinking);
    expect(config.temperature).toBeUndefined();
    expect(config.maxOutputTokens).toBeGreaterThanOrEqual(1024);
  });

  it("a thinking model left to its default spends a JSON-sized budget on thoughts and cuts the answer", async () => {
    const res = await fetch(
      `https://generativelanguage.googleapis.com/v1beta/models/${DEFAULT_GEMINI_MODEL}:generateContent`,
      {
        method: "POST",
        headers: { "content-type": "application/json", "x-goog-api-key": "k" },
        body: JSON.stringify({
          contents: [{ role: "user", parts: [{ text: "x" }] }],
          generationConfig: { responseMimeType: "application/json", maxOutputTokens: 1024 },
        }),
      },
    );
    const body = (await res.json()) as {
      candidates: { finishReason: string; content: { parts: { text: string }[] } }[];
    };
    expect(body.candidates[0]!.finishReason).toBe("MAX_TOKENS");
    expect(() => JSON.parse(body.candidates[0]!.content.parts[0]?.text ?? "")).toThrow();
  });

  it("refuses a level and a budget together, a level on a 2.5 model, and thinking off where it cannot be", async () => {
    const call = (model: string, thinkingConfig: Record<string, unknown>) =>
      fetch(`https://generativelanguage.googleapis.com/v1beta/models/${model}:generateContent`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-goog-api-key": "k" },
        body: JSON.stringify({ contents: [], generationConfig: { thinkingConfig } }),
      }).then((r) => r.status);
    expect(await call("gemini-3.5-flash-lite", { thinkingLevel: "LOW", thinkingBudget: 100 })).toBe(400);
    expect(await call("gemini-2.5-flash", { thinkingLevel: "LOW" })).toBe(400);
    expect(await call("gemini-2.5-pro", { thinkingBudget: 0 })).toBe(400);
    expect(await call("gemini-3.5-flash-lite", { thinkingLevel: "SOMETIMES" })).toBe(400);
  });
});
