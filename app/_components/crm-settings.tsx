import Link from "next/link";
import { SubmitButton } from "@/app/_components/submit-button";
import {
  connectDemoCrmAction,
  disconnectCrmAction,
  saveCrmSettingsAction,
  syncCrmNowAction,
} from "@/app/_lib/actions/crm";
import { dateTime } from "@/app/_lib/describe";
import type { Viewer } from "@/app/_lib/viewer";
import type { CrmProviderKind } from "@/lib/crm/types";
import type { CrmStatus } from "@/lib/db/crm";

const RETURN = "/settings#crm";

/**
 * Settings › CRM, in the manner of the mailbox health list: the connection, its sync state,
 * counts and last error, reconnect when access was lost; connect buttons for the CRMs this server
 * has an app for; the key-client threshold and from which priority emails are logged.
 */
export function CrmSettings({
  viewer,
  status,
  available,
}: {
  viewer: Viewer;
  status: CrmStatus;
  available: CrmProviderKind[];
}) {
  const { t } = viewer;
  const c = status.connection;
  const connectButtons = available.map((kind) =>
    kind === "demo" ? (
      <form key={kind} action={connectDemoCrmAction}>
        <input type="hidden" name="returnTo" value={RETURN} />
        <SubmitButton className="button" data-testid="connect-demo-crm">
          {t("crm.connect", { crm: t("crm.provider.demo") })}
        </SubmitButton>
      </form>
    ) : (
      <a key={kind} className="button" href={`/api/crm/${kind}/start`} data-testid={`connect-${kind}`}>
        {t("crm.connect", { crm: t(`crm.provider.${kind}`) })}
      </a>
    ),
  );
  return (
    <div className="stack">
      <p className="hint">{t("crm.hint")}</p>
      {c ? (
        <div
          className="mailbox"
          data-testid="crm-connection"
          data-provider={c.provider}
          data-status={c.status}
        >
          <p className="mailbox-title">
            <strong>{t(`crm.provider.${c.provider}`)}</strong>
            {c.accountLabel && <span className="muted"> · {c.accountLabel}</span>}{" "}
            <span className={`badge mailbox-${c.status}`}>{t(`crm.status.${c.status}`)}</span>
          </p>
          <dl className="facts">
            <div>
              <dt>{t("crm.sync")}</dt>
              <dd data-testid="crm-sync-state">
                {t(`crm.syncState.${c.syncState}`)}
                {c.lastSyncedAt && <span className="muted"> · {dateTime(viewer, c.lastSyncedAt)}</span>}
              </dd>
            </div>
            <div>
              <dt>{t("crm.counts")}</dt>
              <dd data-testid="crm-counts">
                {t("crm.countsValue", {
                  contacts: c.contactsCount,
                  deals: c.dealsCount,
                  logged: status.logged,
                })}
              </dd>
            </div>
            {c.lastError && (
              <div>
                <dt>{t("crm.lastError")}</dt>
                <dd className="error-text">
                  {c.lastError}
                  {c.lastErrorAt && <span className="muted"> · {dateTime(viewer, c.lastErrorAt)}</span>}
                </dd>
              </div>
            )}
          </dl>
          <div className="button-row">
            {c.status === "reconnect_required" && c.provider !== "demo" && (
              <a className="button button-primary" href={`/api/crm/${c.provider}/start`}>
                {t("crm.reconnect")}
              </a>
            )}
            {c.status === "active" && (
              <form action={syncCrmNowAction}>
                <input type="hidden" name="returnTo" value={RETURN} />
                <SubmitButton className="button">{t("crm.syncNow")}</SubmitButton>
              </form>
            )}
            {c.provider === "demo" && (
              <Link className="button" href="/settings/crm" data-testid="edit-demo-crm">
                {t("crm.editDemo")}
              </Link>
            )}
            <form action={disconnectCrmAction}>
              <input type="hidden" name="returnTo" value={RETURN} />
              <SubmitButton className="button button-danger-ghost">{t("crm.disconnect")}</SubmitButton>
            </form>
          </div>
        </div>
      ) : (
        <p className="muted">{t("crm.none")}</p>
      )}
      {connectButtons.length > 0 && <div className="button-row">{connectButtons}</div>}
      <form action={saveCrmSettingsAction} className="stack">
        <input type="hidden" name="returnTo" value={RETURN} />
        <div className="field">
          <label htmlFor="crm-threshold">{t("crm.threshold")}</label>
          <input
            id="crm-threshold"
            name="keyClientXof"
            inputMode="numeric"
            defaultValue={String(status.keyClientXof)}
            required
            pattern="[0-9  .]+"
          />
        </div>
        <div className="field">
          <label htmlFor="crm-priority">{t("crm.minPriority")}</label>
          <select id="crm-priority" name="logMinPriority" defaultValue={status.logMinPriority}>
            <option value="important">{t("priority.important")}</option>
            <option value="critical">{t("priority.critical")}</option>
          </select>
        </div>
        <SubmitButton className="button button-primary">{t("common.save")}</SubmitButton>
      </form>
    </div>
  );
}
