import { dateTime } from "@/app/_lib/describe";
import { hasWebMessage } from "@/app/_lib/messages";
import type { Viewer } from "@/app/_lib/viewer";
import type { Alert } from "@/lib/db/schemas";

/** Each alert of an email and every status it went through, from its status history. */
export function AlertTimeline({ viewer, alerts }: { viewer: Viewer; alerts: Alert[] }) {
  const { t } = viewer;
  if (alerts.length === 0) return <p className="muted">{t("email.noAlerts")}</p>;
  return (
    <ul className="timeline-list">
      {alerts.map((a) => (
        <li key={a.id} data-testid="timeline-alert">
          <h3>
            {a.recipientName ?? t("dashboard.recipient")} · {t(`alertKind.${a.kind}`)}
            {a.delivery && <span className="muted"> · {t(`delivery.${a.delivery}`)}</span>}
          </h3>
          <ol className="timeline">
            <li>
              <span>{t("alertStatus.created")}</span>{" "}
              <time dateTime={a.createdAt.toISOString()} className="muted">
                {dateTime(viewer, a.createdAt)}
              </time>
            </li>
            {a.statusHistory.map((h, i) => {
              const at = new Date(h.at);
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: an append-only history
                <li key={i} className={`status-${h.status}`}>
                  <span>
                    {hasWebMessage(viewer.locale, `alertStatus.${h.status}`)
                      ? t(`alertStatus.${h.status}`)
                      : h.status}
                  </span>{" "}
                  {!Number.isNaN(at.getTime()) && (
                    <time dateTime={at.toISOString()} className="muted">
                      {dateTime(viewer, at)}
                    </time>
                  )}
                  {h.code !== undefined && <span className="muted"> ({h.code})</span>}
                </li>
              );
            })}
          </ol>
          {a.errorMessage && <p className="muted">{a.errorMessage}</p>}
        </li>
      ))}
    </ul>
  );
}
