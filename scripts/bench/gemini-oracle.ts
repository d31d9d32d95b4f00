import { delay, HttpResponse, http } from "msw";
import type { Sample } from "@/lib/samples/samples";

/**
 * A Gemini stand-in for the benchmark: answers generateContent like the real endpoint, with the
 * sample's own label (a model that agrees with the labeller), after a fixed latency. It records
 * each request's input size so the benchmark can report LLM input tokens (characters ÷ 4 of the
 * system instruction, the delimited email and the response schema).
 */
export function geminiOracle(samples: Sample[], opts: { latencyMs: number }) {
  const bySubject = new Map(samples.map((s) => [s.subject, s]));
  const state = { latencyMs: opts.latencyMs, calls: 0, inputTokens: [] as number[] };
  const handler = http.post(
    "https://generativelanguage.googleapis.com/:version/models/:action",
    async ({ request }) => {
      const body = (await request.json()) as {
        contents?: { parts?: { text?: string }[] }[];
        systemInstruction?: { parts?: { text?: string }[] };
        generationConfig?: { responseJsonSchema?: unknown; responseSchema?: unknown };
      };
      const user =
        body.contents
          ?.flatMap((c) => c.parts ?? [])
          .map((p) => p.text ?? "")
          .join("\n") ?? "";
      const system = body.systemInstruction?.parts?.map((p) => p.text ?? "").join("\n") ?? "";
      // The response schema is sent with every request and billed as input like the prompt.
      const config = body.generationConfig;
      const schema = JSON.stringify(config?.responseJsonSchema ?? config?.responseSchema ?? "");
      state.calls++;
      state.inputTokens.push(Math.ceil((user.length + system.length + schema.length) / 4));
      if (state.latencyMs > 0) await delay(state.latencyMs);
      const sample = [...bySubject.entries()].find(([subject]) => user.includes(subject))?.[1];
      const priority = sample?.label ?? "informational";
      const answer = {
        priority,
        category: priority === "spam" ? "promotion" : "other",
        summary: sample
          ? { fr: `Résumé : ${sample.subject}`.slice(0, 180), en: `Summary: ${sample.subject}`.slice(0, 180) }
          : { fr: "Email reçu.", en: "Email received." },
        suggestedAction: {
          kind: sample?.action ?? "read",
          phrase: { fr: "Voir l'email", en: "See the email" },
        },
        deadline: null,
        amounts: [],
        fraudWarning: null,
        confidence: 0.9,
        reasons: [{ fr: "oracle du banc d'essai", en: "bench oracle" }],
      };
      return HttpResponse.json({
        candidates: [
          { content: { role: "model", parts: [{ text: JSON.stringify(answer) }] }, finishReason: "STOP" },
        ],
        usageMetadata: {
          promptTokenCount: state.inputTokens.at(-1),
          candidatesTokenCount: 60,
          totalTokenCount: 0,
        },
        modelVersion: "bench",
      });
    },
  );
  return { handler, state };
}
