import { SubmitButton } from "@/app/_components/submit-button";
import { disconnectMailboxAction } from "@/app/_lib/actions/mailboxes";
import { dateTime } from "@/app/_lib/describe";
import type { Viewer } from "@/app/_lib/viewer";
import type { Mailbox } from "@/lib/db/schemas";

const RECONNECT: Record<Mailbox["provider"], string | null> = {
  gmail: "/api/auth/google/start",
  outlook: "/api/auth/microsoft/start",
  sandbox: null,
};

/** Connected mailboxes and their health: push, last sync, last error, reconnect, disconnect. */
export function MailboxList({
  viewer,
  mailboxes,
  returnTo,
  canDisconnect,
}: {
  viewer: Viewer;
  mailboxes: Mailbox[];
  returnTo: string;
  canDisconnect: boolean;
}) {
  const { t } = viewer;
  const now = Date.now();
  if (mailboxes.length === 0) return <p className="muted">{t("mailboxes.none")}</p>;
  return (
    <ul className="mailbox-list">
      {mailboxes.map((m) => {
        const pushActive =
          m.status === "active" && m.watchExpiresAt !== null && m.watchExpiresAt.getTime() > now;
        const reconnect = RECONNECT[m.provider];
        return (
          <li
            key={m.id}
            className="mailbox"
            data-testid="mailbox"
            data-provider={m.provider}
            data-status={m.status}
          >
            <p className="mailbox-title">
              <strong>{m.address}</strong>{" "}
              <span className="muted">· {t(`mailboxes.provider.${m.provider}`)}</span>{" "}
              <span className={`badge mailbox-${m.status}`}>{t(`mailboxes.status.${m.status}`)}</span>
            </p>
            <dl className="facts">
              <div>
                <dt>{t("mailboxes.push")}</dt>
                <dd data-testid="push-status">
                  {pushActive && m.watchExpiresAt
                    ? t("mailboxes.pushActive", { date: dateTime(viewer, m.watchExpiresAt) })
                    : t("mailboxes.pushInactive")}
                </dd>
              </div>
              <div>
                <dt>{t("mailboxes.lastSync")}</dt>
                <dd>{m.lastSyncedAt ? dateTime(viewer, m.lastSyncedAt) : t("mailboxes.never")}</dd>
              </div>
              {m.lastError && (
                <div>
                  <dt>{t("mailboxes.lastError")}</dt>
                  <dd className="error-text">
                    {m.lastError}
                    {m.lastErrorAt && <span className="muted"> · {dateTime(viewer, m.lastErrorAt)}</span>}
                  </dd>
                </div>
              )}
            </dl>
            <div className="button-row">
              {m.status === "reconnect_required" && reconnect && (
                <a
                  className="button button-primary"
                  href={`${reconnect}?login_hint=${encodeURIComponent(m.address)}`}
                >
                  {t("mailboxes.reconnect")}
                </a>
              )}
              {canDisconnect && (
                <form action={disconnectMailboxAction}>
                  <input type="hidden" name="id" value={m.id} />
                  <input type="hidden" name="returnTo" value={returnTo} />
                  <SubmitButton className="button button-danger-ghost">
                    {t("mailboxes.disconnect")}
                    <span className="sr-only"> {m.address}</span>
                  </SubmitButton>
                </form>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
