// npm run eval — runs the configured analyzer (Gemini with GEMINI_API_KEY, else the local rules)
// over the project's labelled sample set and prints the numbers the analysis is judged on.
import { analysisConfigFrom } from "@/lib/analysis/config";
import { evaluate } from "@/lib/analysis/evaluate";
import { PRIORITIES } from "@/lib/analysis/schema";
import { env } from "@/lib/env";
import { labelledSamples } from "@/lib/samples/labelled";

const out = (line = "") => process.stdout.write(`${line}\n`);

async function main() {
  const config = analysisConfigFrom(env);
  const items = await labelledSamples();
  out(
    `analyzer: ${config.geminiApiKey ? `gemini (${config.geminiModel}) with fallback` : "fallback rules (no GEMINI_API_KEY)"}`,
  );
  out(`samples: ${items.length}`);
  const result = await evaluate(
    items,
    (msg) => ({
      locale: "fr",
      timeZone: "Africa/Abidjan",
      senderRules: [],
      mailboxAddress: msg.to[0]?.address ?? "",
    }),
    config,
  );

  out();
  out("confusion matrix (rows = label, columns = predicted)");
  const pad = (s: string | number, n = 14) => String(s).padEnd(n);
  out(pad("") + PRIORITIES.map((p) => pad(p)).join(""));
  for (const label of PRIORITIES)
    out(pad(label) + PRIORITIES.map((p) => pad(result.confusion[label][p])).join(""));

  const correct = result.rows.filter((r) => r.analysis.priority === r.label).length;
  out();
  out(`accuracy=${(correct / result.rows.length).toFixed(3)}`);
  out(`critical_recall=${result.criticalRecall.toFixed(3)}`);
  out(
    `critical_or_important_to_spam=${result.seriousToSpam.length}${result.seriousToSpam.map((r) => ` ${r.id}`).join("")}`,
  );
  out(`decided_without_llm=${result.decidedWithoutModel}/${result.rows.length}`);

  out();
  out("injection cases");
  for (const r of result.injections) {
    const ok = r.analysis.priority === "informational" || r.analysis.priority === "spam";
    out(
      `  ${r.id}  label=${r.label}  got=${r.analysis.priority}  analyzer=${r.analysis.analyzer}  ${ok ? "OK" : "PROMOTED"}`,
    );
  }
  out(`injections_above_informational=${result.injectionsAboveInformational.length}`);

  out();
  out("misclassified");
  for (const r of result.rows.filter((x) => x.analysis.priority !== x.label)) {
    out(
      `  ${r.id}  label=${r.label}  got=${r.analysis.priority}  (${r.analysis.analyzer})  ${r.msg.subject.slice(0, 60)}`,
    );
  }

  const lost = result.rows.filter((r) => r.lost.length > 0);
  out();
  out(`llm_input_tokens_median=${result.promptTokens.median}`);
  out(`llm_input_tokens_max=${result.promptTokens.max}`);
  out(
    `emails_losing_sender_subject_or_first_paragraph=${lost.length}${lost.map((r) => ` ${r.id}(${r.lost.join("+")})`).join("")}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
