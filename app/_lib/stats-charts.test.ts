import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasWebMessage } from "@/app/_lib/messages";
import { STATS_CHARTS } from "@/app/_lib/stats-charts";
import type { StatsDay } from "@/lib/db/stats";
import { LOCALES } from "@/lib/i18n/catalogue";

const day: StatsDay = {
  day: "2026-11-02",
  critical: 1,
  important: 2,
  informational: 3,
  spam: 4,
  withoutLlm: 6,
  llmInputTokens: 900,
  llmOutputTokens: 40,
  alertsSent: 3,
  alertsDelivered: 2,
  alertsRead: 1,
  deadJobs: 5,
};
const valuesOf = (id: string, d: StatsDay) =>
  Object.fromEntries(STATS_CHARTS.find((c) => c.id === id)!.series.map((s) => [s.key, s.value(d)]));

describe("the stats page's charts", () => {
  it("are the five the page shows, each with its own id and series keys", () => {
    expect(STATS_CHARTS.map((c) => c.id)).toEqual(["emails", "alerts", "llm", "tokens", "dead"]);
    for (const c of STATS_CHARTS)
      expect(new Set(c.series.map((s) => s.key)).size, c.id).toBe(c.series.length);
  });

  it("name every title and legend with a message of both web catalogues", () => {
    // The catalogue test only finds literal t("…") calls; these keys are data.
    const missing = STATS_CHARTS.flatMap((c) => [c.title, ...c.series.map((s) => s.label)]).flatMap((key) =>
      LOCALES.filter((l) => !hasWebMessage(l, key)).map((l) => `${l}:${key}`),
    );
    expect(missing).toEqual([]);
  });

  it("draw every series with a fill class the style sheet defines", () => {
    const css = readFileSync(path.resolve(__dirname, "../globals.css"), "utf8");
    const undefinedFills = STATS_CHARTS.flatMap((c) => c.series.map((s) => `fill-${s.key}`)).filter(
      (cls) => !new RegExp(`\\.${cls}\\s*\\{`).test(css),
    );
    expect(undefinedFills).toEqual([]);
  });

  it("read each day's figures into their series", () => {
    expect(valuesOf("emails", day)).toEqual({ critical: 1, important: 2, informational: 3, spam: 4 });
    expect(valuesOf("alerts", day)).toEqual({ sent: 3, delivered: 2, read: 1 });
    expect(valuesOf("llm", day)).toEqual({ rules: 6, model: 4 });
    expect(valuesOf("llm", { ...day, withoutLlm: 12 })).toEqual({ rules: 12, model: 0 });
    expect(valuesOf("tokens", day)).toEqual({ input: 900, output: 40 });
    expect(valuesOf("dead", day)).toEqual({ dead: 5 });
  });
});
