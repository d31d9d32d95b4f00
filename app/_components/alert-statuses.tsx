import { alertStatusTime, dateTime } from "@/app/_lib/describe";
import type { Viewer } from "@/app/_lib/viewer";
import type { Alert } from "@/lib/db/schemas";

type ListedAlert = Omit<Alert, "rendered">;

/** Per recipient: sent / delivered / read / failed, with the time of that status. */
export function AlertStatuses({ viewer, alerts }: { viewer: Viewer; alerts: ListedAlert[] }) {
  const { t } = viewer;
  if (alerts.length === 0) return null;
  return (
    <ul className="alert-statuses" aria-label={t("dashboard.alertsLabel")}>
      {alerts.map((a) => {
        const at = alertStatusTime(a);
        return (
          <li
            key={a.id}
            className={`alert-status status-${a.status}`}
            data-testid="alert-status"
            data-status={a.status}
          >
            <span className="alert-recipient">
              {a.recipientName ?? t("dashboard.recipient")}
              {a.kind !== "alert" && <span className="muted"> · {t(`alertKind.${a.kind}`)}</span>}
            </span>{" "}
            <span className="alert-state">{t(`alertStatus.${a.status}`)}</span>
            {at && (
              <>
                {" "}
                <time dateTime={at.toISOString()} className="muted">
                  {dateTime(viewer, at)}
                </time>
              </>
            )}
            {a.status === "failed" && a.errorCode !== null && <span className="muted"> ({a.errorCode})</span>}
          </li>
        );
      })}
    </ul>
  );
}
