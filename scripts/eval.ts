// npm run eval [-- --analyzer rules|gemini] [--price-in USD --price-out USD] [--corrections FILE] [--details]
// Runs the analyzer over every labelled set, each split side by side: critical recall, critical
// mail buried, serious mail thrown into spam, spam alerted, injections promoted, who decided.
// The holdout split is printed as figures only (no per-email detail): it is never tuned on.
import { parseArgs } from "node:util";
import { analysisConfigFrom } from "@/lib/analysis/config";
import { type Evaluation, evaluate } from "@/lib/analysis/evaluate";
import { env } from "@/lib/env";
import { correctionsSet } from "@/lib/samples/corrections";
import { type EvalSet, evalSets } from "@/lib/samples/eval-sets";

const out = (line = "") => process.stdout.write(`${line}\n`);

function usage(message: string): never {
  console.error(message);
  console.error(
    "usage: npm run eval [-- --analyzer rules|gemini] [--price-in USD --price-out USD] [--corrections FILE] [--details]",
  );
  console.error(
    "  --price-in/--price-out: the model's USD price per 1M input/output tokens (ai.google.dev/gemini-api/docs/pricing)",
  );
  process.exit(2);
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(0)}%` : "-");

function figures(e: Evaluation): Record<string, string> {
  const n = e.rows.length;
  return {
    emails: String(n),
    accuracy: e.accuracy.toFixed(3),
    critical_recall: e.criticalRecall.toFixed(3),
    critical_buried: String(e.criticalBuried.length),
    serious_to_spam: String(e.seriousToSpam.length),
    spam_alerted: String(e.spamAlerted.length),
    injections_above_info: `${e.injectionsAboveInformational.length}/${e.injections.length}`,
    tier_trusted: pct(e.byTier.trusted, n),
    tier_direct: pct(e.byTier.direct, n),
    tier_untrusted: pct(e.byTier.untrusted, n),
    by_prefilter: pct(e.byAnalyzer.prefilter, n),
    by_rules: pct(e.byAnalyzer.fallback, n),
    by_gemini: pct(e.byAnalyzer.gemini, n),
    // The sets label priorities, not categories: these show where client and supplier mail lands.
    category_client: String(e.rows.filter((r) => r.analysis.category === "client").length),
    category_supplier: String(e.rows.filter((r) => r.analysis.category === "supplier").length),
    category_promotion: String(e.rows.filter((r) => r.analysis.category === "promotion").length),
    prompt_tokens_median: String(e.promptTokens.median),
    prompt_tokens_max: String(e.promptTokens.max),
  };
}

function table(sets: EvalSet[], results: Evaluation[]) {
  const cols = sets.map((s) => `${s.name}/${s.split}`);
  const rows = results.map(figures);
  const width = Math.max(14, ...cols.map((c) => c.length + 2));
  out(`${"".padEnd(24)}${cols.map((c) => c.padEnd(width)).join("")}`);
  for (const key of Object.keys(rows[0] ?? {})) {
    out(`${key.padEnd(24)}${rows.map((r) => (r[key] ?? "").padEnd(width)).join("")}`);
  }
}

function details(set: EvalSet, e: Evaluation) {
  out();
  out(`${set.name}/${set.split}: misclassified`);
  for (const r of e.rows.filter((x) => x.analysis.priority !== x.label)) {
    const s = r.signals;
    out(
      `  ${r.id.padEnd(8)} label=${r.label.padEnd(13)} got=${r.analysis.priority.padEnd(13)} ${s.relationship}/${s.authentication}/${s.addressing}/${s.tier}${s.fraud ? ` fraud=${s.fraud}` : ""}  ${r.msg.subject.slice(0, 60)}`,
    );
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      analyzer: { type: "string", default: "rules" },
      corrections: { type: "string" },
      details: { type: "boolean", default: false },
      "price-in": { type: "string" },
      "price-out": { type: "string" },
    },
  });
  const price = (v: string | undefined, flag: string) => {
    if (v === undefined) return null;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) usage(`${flag} must be a price in USD per 1M tokens, e.g. 0.25`);
    return n;
  };
  const priceIn = price(values["price-in"], "--price-in");
  const priceOut = price(values["price-out"], "--price-out");
  const base = analysisConfigFrom(env);
  if (values.analyzer !== "rules" && values.analyzer !== "gemini")
    usage(`unknown analyzer: ${values.analyzer}`);
  if (values.analyzer === "gemini" && !base.geminiApiKey) usage("--analyzer gemini needs GEMINI_API_KEY");
  const config = values.analyzer === "gemini" ? base : { ...base, geminiApiKey: null };
  out(
    `analyzer: ${config.geminiApiKey ? `gemini (${config.geminiModel}) with the rules as fallback` : "rules (pre-filter + fallback classifier)"}`,
  );

  const sets = await evalSets();
  if (values.corrections) sets.push(await correctionsSet(values.corrections));
  const results: Evaluation[] = [];
  for (const set of sets) results.push(await evaluate(set.items, set.context, config));
  out();
  table(sets, results);

  if (config.geminiApiKey) {
    out();
    for (const [i, set] of sets.entries()) {
      const e = results[i];
      if (!e || e.modelTokens.calls === 0) continue;
      const inTok = e.modelTokens.input / e.modelTokens.calls;
      const outTok = e.modelTokens.output / e.modelTokens.calls;
      // Per email of the set (pre-filtered mail costs nothing), not per model call.
      const n = e.rows.length;
      const cost =
        priceIn === null || priceOut === null
          ? "pass --price-in/--price-out"
          : ((e.modelTokens.input * priceIn + e.modelTokens.output * priceOut) / 1e6 / n).toFixed(6);
      out(
        `${set.name}/${set.split}: gemini calls=${e.modelTokens.calls}/${n} input_tokens_per_call=${inTok.toFixed(0)} output_tokens_per_call=${outTok.toFixed(0)} cost_per_email_usd=${cost}`,
      );
    }
  }
  for (const [i, set] of sets.entries()) {
    const e = results[i];
    if (e && set.split !== "holdout" && (values.details || set.split === "dev")) details(set, e);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
