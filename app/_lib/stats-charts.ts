import type { StatsDay } from "@/lib/db/stats";
import { PRIORITIES } from "@/lib/domain/vocabulary";

/**
 * One chart of the stats page: its title and its series, each with the web catalogue key of its
 * label and its value on a day. A series is drawn with the `fill-<key>` class (app/globals.css).
 */
export type StatsChart = {
  id: string;
  title: string;
  stacked?: boolean;
  series: { key: string; label: string; value: (day: StatsDay) => number }[];
};

const analyzed = (d: StatsDay) => d.critical + d.important + d.informational + d.spam;

/** The stats page's charts, in the order shown. */
export const STATS_CHARTS: readonly StatsChart[] = [
  {
    id: "emails",
    title: "stats.emailsPerDay",
    stacked: true,
    series: PRIORITIES.map((p) => ({ key: p, label: `priority.${p}`, value: (d: StatsDay) => d[p] })),
  },
  {
    id: "alerts",
    title: "stats.alertsPerDay",
    series: [
      { key: "sent", label: "stats.alertsSent", value: (d) => d.alertsSent },
      { key: "delivered", label: "stats.alertsDelivered", value: (d) => d.alertsDelivered },
      { key: "read", label: "stats.alertsRead", value: (d) => d.alertsRead },
    ],
  },
  {
    id: "llm",
    title: "stats.llmPerDay",
    stacked: true,
    series: [
      { key: "rules", label: "stats.decidedByRules", value: (d) => d.withoutLlm },
      { key: "model", label: "stats.decidedByModel", value: (d) => Math.max(0, analyzed(d) - d.withoutLlm) },
    ],
  },
  {
    id: "tokens",
    title: "stats.tokensPerDay",
    stacked: true,
    series: [
      { key: "input", label: "stats.inputTokens", value: (d) => d.llmInputTokens },
      { key: "output", label: "stats.outputTokens", value: (d) => d.llmOutputTokens },
    ],
  },
  {
    id: "dead",
    title: "stats.deadPerDay",
    series: [{ key: "dead", label: "stats.deadJobs", value: (d) => d.deadJobs }],
  },
];
