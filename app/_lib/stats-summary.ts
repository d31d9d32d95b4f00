import { llmCostUsd } from "@/app/_lib/llm-cost";
import { timeSavedMinutes } from "@/app/_lib/time-saved";
import type { DailyStats, StatsDay } from "@/lib/db/stats";

/** The period's totals, summed from its days (the charts and the headline figures agree). */
export function summarize(stats: DailyStats) {
  const sum = (f: (d: StatsDay) => number) => stats.days.reduce((n, d) => n + f(d), 0);
  const analyzed = sum((d) => d.critical + d.important + d.informational + d.spam);
  const alertsRead = sum((d) => d.alertsRead);
  const inputTokens = sum((d) => d.llmInputTokens);
  const outputTokens = sum((d) => d.llmOutputTokens);
  return {
    analyzed,
    critical: sum((d) => d.critical),
    withoutLlm: sum((d) => d.withoutLlm),
    alertsSent: sum((d) => d.alertsSent),
    alertsDelivered: sum((d) => d.alertsDelivered),
    alertsRead,
    deadJobs: sum((d) => d.deadJobs),
    inputTokens,
    outputTokens,
    costUsd: llmCostUsd(inputTokens, outputTokens),
    savedMinutes: timeSavedMinutes(analyzed, alertsRead),
  };
}

/** The CSV export: one line per day, the figures as the page's tables show them, unformatted. */
export function statsCsv(stats: DailyStats): string {
  const header = [
    "day",
    "critical",
    "important",
    "informational",
    "spam",
    "decided_without_llm",
    "alerts_sent",
    "alerts_delivered",
    "alerts_read",
    "llm_input_tokens",
    "llm_output_tokens",
    "llm_cost_usd_estimate",
    "dead_jobs",
  ];
  const lines = stats.days.map((d) =>
    [
      d.day,
      d.critical,
      d.important,
      d.informational,
      d.spam,
      d.withoutLlm,
      d.alertsSent,
      d.alertsDelivered,
      d.alertsRead,
      d.llmInputTokens,
      d.llmOutputTokens,
      llmCostUsd(d.llmInputTokens, d.llmOutputTokens).toFixed(6),
      d.deadJobs,
    ].join(","),
  );
  return `${[header.join(","), ...lines].join("\r\n")}\r\n`;
}
