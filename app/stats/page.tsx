import Link from "next/link";
import { AppShell } from "@/app/_components/app-shell";
import { BarChart, type ChartRow } from "@/app/_components/bar-chart";
import { formatDuration, formatNumber, formatPercent } from "@/app/_lib/format";
import { USD_PER_MILLION_INPUT, USD_PER_MILLION_OUTPUT } from "@/app/_lib/llm-cost";
import { STATS_CHARTS } from "@/app/_lib/stats-charts";
import { summarize } from "@/app/_lib/stats-summary";
import { ALERT_MINUTES, READING_MINUTES } from "@/app/_lib/time-saved";
import { requireViewer } from "@/app/_lib/viewer";
import { INTL_LOCALE } from "@/lib/channels/format-values";
import { db } from "@/lib/db/client";
import { failedMessageCount } from "@/lib/db/messages";
import { getDailyStats, STATS_PERIODS, type StatsDay } from "@/lib/db/stats";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata() {
  const { t } = await requireViewer();
  return { title: t("nav.stats") };
}

export default async function StatsPage({ searchParams }: Props) {
  const viewer = await requireViewer();
  const { t, locale, user } = viewer;
  const asked = Number((await searchParams).days);
  const days = STATS_PERIODS.find((d) => d === asked) ?? 7;
  const database = await db();
  const stats = await getDailyStats(database, user.organizationId, days);
  const since = new Date(Date.now() - days * 86_400_000);
  const { failed } = await failedMessageCount(database, since, user.organizationId);
  const s = summarize(stats);

  const dayFormat = new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
  const rows = (pick: (d: StatsDay) => Record<string, number>): ChartRow[] =>
    stats.days.map((d) => ({ label: dayFormat.format(new Date(`${d.day}T12:00:00Z`)), values: pick(d) }));
  const number = (v: number) => formatNumber(v, locale);
  const usd = (v: number) =>
    new Intl.NumberFormat(INTL_LOCALE[locale], {
      style: "currency",
      currency: "USD",
      maximumFractionDigits: 4,
    }).format(v);
  const chart = {
    emptyText: t("stats.empty"),
    tableLabel: t("stats.table"),
    dayLabel: t("stats.day"),
    format: number,
  };
  const latency = (seconds: number | null) => (seconds === null ? "—" : formatDuration(seconds, locale));

  return (
    <AppShell viewer={viewer} current="stats">
      <div className="page-head">
        <h1>{t("stats.title")}</h1>
        <nav aria-label={t("stats.periodLabel")} className="segmented">
          {STATS_PERIODS.map((d) => (
            <Link key={d} href={`/stats?days=${d}`} aria-current={d === days ? "page" : undefined}>
              {t("stats.days", { days: d })}
            </Link>
          ))}
        </nav>
      </div>
      <p>
        <a
          className="button button-ghost"
          href={`/api/stats/export?days=${days}`}
          download
          data-testid="stats-export"
        >
          {t("stats.export")}
        </a>
      </p>
      <div className="stat-grid">
        <section className="card stat" aria-labelledby="st-analyzed">
          <h2 id="st-analyzed">{t("stats.analyzed")}</h2>
          <p className="stat-value" data-testid="stat-analyzed">
            {number(s.analyzed)}
          </p>
          <p className="hint">{t("stats.criticalCount", { count: s.critical })}</p>
        </section>
        <section className="card stat" aria-labelledby="st-alerts">
          <h2 id="st-alerts">{t("stats.alerts")}</h2>
          <dl className="facts">
            <div>
              <dt>{t("stats.alertsSent")}</dt>
              <dd className="stat-value-small">{number(s.alertsSent)}</dd>
            </div>
            <div>
              <dt>{t("stats.alertsDelivered")}</dt>
              <dd className="stat-value-small">{number(s.alertsDelivered)}</dd>
            </div>
            <div>
              <dt>{t("stats.alertsRead")}</dt>
              <dd className="stat-value-small" data-testid="stat-read">
                {number(s.alertsRead)}
                {s.alertsSent > 0 && (
                  <span className="muted"> ({formatPercent(s.alertsRead / s.alertsSent, locale)})</span>
                )}
              </dd>
            </div>
          </dl>
          <p className="hint">{t("stats.readHint")}</p>
        </section>
        <section className="card stat" aria-labelledby="st-latency">
          <h2 id="st-latency">{t("stats.latency")}</h2>
          <dl className="facts">
            <div>
              <dt>{t("stats.median")}</dt>
              <dd className="stat-value-small" data-testid="stat-median">
                {latency(stats.medianSecondsToDelivered)}
              </dd>
            </div>
            <div>
              <dt>{t("stats.p90")}</dt>
              <dd className="stat-value-small" data-testid="stat-p90">
                {latency(stats.p90SecondsToDelivered)}
              </dd>
            </div>
          </dl>
          <p className="hint">{t("stats.medianHint")}</p>
        </section>
        <section className="card stat" aria-labelledby="st-llm">
          <h2 id="st-llm">{t("stats.withoutLlm")}</h2>
          <p className="stat-value">
            {s.analyzed > 0 ? formatPercent(s.withoutLlm / s.analyzed, locale) : "—"}
          </p>
          <p className="hint">{t("stats.withoutLlmHint", { count: s.withoutLlm })}</p>
        </section>
        <section className="card stat" aria-labelledby="st-saved">
          <h2 id="st-saved">{t("stats.timeSaved")}</h2>
          <p className="stat-value" data-testid="stat-saved">
            {formatDuration(s.savedMinutes * 60, locale)}
          </p>
          <p className="hint">
            {t("stats.timeSavedHint", {
              count: s.analyzed,
              minutes: READING_MINUTES,
              read: s.alertsRead,
              alertMinutes: formatNumber(ALERT_MINUTES, locale),
            })}
          </p>
        </section>
        <section className="card stat" aria-labelledby="st-cost">
          <h2 id="st-cost">{t("stats.cost")}</h2>
          <p className="stat-value" data-testid="stat-cost">
            {usd(s.costUsd)}
          </p>
          <p className="hint">
            {t("stats.costHint", {
              input: number(s.inputTokens),
              output: number(s.outputTokens),
              inputPrice: usd(USD_PER_MILLION_INPUT),
              outputPrice: usd(USD_PER_MILLION_OUTPUT),
            })}
          </p>
        </section>
        <section className="card stat" aria-labelledby="st-failed">
          <h2 id="st-failed">{t("stats.failed")}</h2>
          <p className="stat-value" data-testid="stat-failed">
            {number(failed)}
          </p>
          <p className="hint">{t("stats.failedHint", { count: failed })}</p>
          <p className="hint" data-testid="stat-dead">
            {t("stats.deadHint", { count: s.deadJobs })}
          </p>
        </section>
      </div>
      <section className="card charts" aria-labelledby="charts-title">
        <h2 id="charts-title">{t("stats.chartsTitle", { days })}</h2>
        {STATS_CHARTS.map((c) => (
          <BarChart
            key={c.id}
            id={c.id}
            title={t(c.title)}
            stacked={c.stacked}
            series={c.series.map((x) => ({ key: x.key, label: t(x.label), className: `fill-${x.key}` }))}
            rows={rows((d) => Object.fromEntries(c.series.map((x) => [x.key, x.value(d)])))}
            {...chart}
          />
        ))}
      </section>
    </AppShell>
  );
}
