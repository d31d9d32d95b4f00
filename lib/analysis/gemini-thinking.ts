/**
 * Thinking and output budget, stated for every request rather than left to the model's default,
 * per the `@google/genai` ThinkingConfig type (2.32.0: `thinkingBudget` in tokens, 0 off, -1
 * dynamic; `thinkingLevel` MINIMAL/LOW/MEDIUM/HIGH) and Google's thinking guide: Gemini 3 models
 * take a level (thinking cannot be turned off; LOW is accepted by every Gemini 3 model), 2.5 models
 * a token budget (Flash and Flash-Lite can turn it off, Pro needs at least 128); sending both is a
 * 400. Thinking tokens are drawn from maxOutputTokens, so a model that thinks by default would
 * spend a JSON-sized budget on thoughts and cut the answer: the budget is the answer's plus the
 * thinking allowance.
 */
export type ThinkingPlan = {
  thinkingConfig: { thinkingBudget: number } | { thinkingLevel: "LOW" };
  maxOutputTokens: number;
};

/** Tokens allowed for thoughts at the LOW level on top of the answer. */
const LOW_THINKING_ALLOWANCE = 2048;

export function thinkingPlan(model: string, answerTokens: number): ThinkingPlan {
  const name = model.toLowerCase().replace(/^models\//, "");
  if (name.startsWith("gemini-2.5-pro")) {
    return { thinkingConfig: { thinkingBudget: 128 }, maxOutputTokens: answerTokens + 128 };
  }
  if (name.startsWith("gemini-2"))
    return { thinkingConfig: { thinkingBudget: 0 }, maxOutputTokens: answerTokens };
  return { thinkingConfig: { thinkingLevel: "LOW" }, maxOutputTokens: answerTokens + LOW_THINKING_ALLOWANCE };
}
