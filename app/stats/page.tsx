import Link from "next/link";
import { AppShell } from "@/app/_components/app-shell";
import { PriorityChip } from "@/app/_components/priority-chip";
import { formatDuration, formatNumber, formatPercent } from "@/app/_lib/format";
import { READING_MINUTES, timeSavedMinutes } from "@/app/_lib/time-saved";
import { requireViewer } from "@/app/_lib/viewer";
import { PRIORITIES } from "@/lib/analysis/schema";
import { db } from "@/lib/db/client";
import { failedMessageCount, getStats } from "@/lib/db/messages";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata() {
  const { t } = await requireViewer();
  return { title: t("nav.stats") };
}

export default async function StatsPage({ searchParams }: Props) {
  const viewer = await requireViewer();
  const { t, locale, user } = viewer;
  const days = (await searchParams).days === "30" ? 30 : 7;
  const database = await db();
  const s = await getStats(database, user.organizationId, days);
  const since = new Date(Date.now() - days * 86_400_000);
  const { failed } = await failedMessageCount(database, since, user.organizationId);
  const max = Math.max(1, ...PRIORITIES.map((p) => s.byPriority[p]));
  const saved = timeSavedMinutes(s.analyzed);

  return (
    <AppShell viewer={viewer} current="stats">
      <div className="page-head">
        <h1>{t("stats.title")}</h1>
        <nav aria-label={t("stats.periodLabel")} className="segmented">
          {[7, 30].map((d) => (
            <Link key={d} href={`/stats?days=${d}`} aria-current={d === days ? "page" : undefined}>
              {t("stats.days", { days: d })}
            </Link>
          ))}
        </nav>
      </div>
      <div className="stat-grid">
        <section className="card stat" aria-labelledby="st-analyzed">
          <h2 id="st-analyzed">{t("stats.analyzed")}</h2>
          <p className="stat-value" data-testid="stat-analyzed">
            {formatNumber(s.analyzed, locale)}
          </p>
          <ul className="bars">
            {PRIORITIES.map((p) => (
              <li key={p}>
                <PriorityChip priority={p} label={t(`priority.${p}`)} />
                <span className="bar" aria-hidden="true">
                  <span
                    className={`bar-fill bar-${p}`}
                    style={{ width: `${(s.byPriority[p] / max) * 100}%` }}
                  />
                </span>
                <span className="bar-value">{formatNumber(s.byPriority[p], locale)}</span>
              </li>
            ))}
          </ul>
        </section>
        <section className="card stat" aria-labelledby="st-alerts">
          <h2 id="st-alerts">{t("stats.alerts")}</h2>
          <dl className="facts">
            <div>
              <dt>{t("stats.alertsSent")}</dt>
              <dd className="stat-value-small">{formatNumber(s.alertsSent, locale)}</dd>
            </div>
            <div>
              <dt>{t("stats.alertsRead")}</dt>
              <dd className="stat-value-small">
                {formatNumber(s.alertsRead, locale)}
                {s.alertsSent > 0 && (
                  <span className="muted"> ({formatPercent(s.alertsRead / s.alertsSent, locale)})</span>
                )}
              </dd>
            </div>
            <div>
              <dt>{t("stats.alertsFailed")}</dt>
              <dd className="stat-value-small">{formatNumber(s.alertsFailed, locale)}</dd>
            </div>
          </dl>
        </section>
        <section className="card stat" aria-labelledby="st-latency">
          <h2 id="st-latency">{t("stats.median")}</h2>
          <p className="stat-value">
            {s.medianSecondsToDelivered === null ? "—" : formatDuration(s.medianSecondsToDelivered, locale)}
          </p>
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
            {formatDuration(saved * 60, locale)}
          </p>
          <p className="hint">{t("stats.timeSavedHint", { count: s.analyzed, minutes: READING_MINUTES })}</p>
        </section>
        <section className="card stat" aria-labelledby="st-failed">
          <h2 id="st-failed">{t("stats.failed")}</h2>
          <p className="stat-value" data-testid="stat-failed">
            {formatNumber(failed, locale)}
          </p>
          <p className="hint">{t("stats.failedHint", { count: failed })}</p>
        </section>
      </div>
    </AppShell>
  );
}
