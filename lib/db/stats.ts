import { z } from "zod";
import { call, type Db } from "@/lib/db/port";

/** The periods the stats page offers. */
export const STATS_PERIODS = [7, 30, 90] as const;
export type StatsPeriod = (typeof STATS_PERIODS)[number];

const statsDaySchema = z.object({
  day: z.string(),
  critical: z.number(),
  important: z.number(),
  informational: z.number(),
  spam: z.number(),
  withoutLlm: z.number(),
  llmInputTokens: z.number(),
  llmOutputTokens: z.number(),
  alertsSent: z.number(),
  alertsDelivered: z.number(),
  alertsRead: z.number(),
  deadJobs: z.number(),
});
export type StatsDay = z.infer<typeof statsDaySchema>;

const dailyStatsSchema = z.object({
  timeZone: z.string(),
  days: z.array(statsDaySchema),
  medianSecondsToDelivered: z.number().nullable(),
  p90SecondsToDelivered: z.number().nullable(),
});
export type DailyStats = z.infer<typeof dailyStatsSchema>;

/** One row per day of the period (every day, empty ones included) in the organization's time zone. */
export const getDailyStats = (db: Db, organizationId: string, days: StatsPeriod) =>
  call(db, "stats_daily", { p_organization_id: organizationId, p_days: days }, dailyStatsSchema);
