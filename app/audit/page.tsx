import Link from "next/link";
import { AppShell } from "@/app/_components/app-shell";
import { auditActor, auditSentence } from "@/app/_lib/audit-sentence";
import { dateTime } from "@/app/_lib/describe";
import { requireViewer } from "@/app/_lib/viewer";
import { listAuditActors, listReadableAudit } from "@/lib/db/audit";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";

const PAGE = 50;
/** The kinds of event the filter offers: the first part of the actions the app writes. */
const KINDS = [
  "auth",
  "account",
  "settings",
  "mailbox",
  "recipient",
  "sender_rule",
  "message",
  "alert",
  "reply",
  "crm",
  "auto_reply",
  "reply_template",
] as const;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata() {
  const { t } = await requireViewer();
  return { title: t("nav.audit") };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Who did what, when: the organization's append-only audit log as sentences, newest first. */
export default async function AuditPage({ searchParams }: Props) {
  const viewer = await requireViewer();
  const { t, user } = viewer;
  const raw = await searchParams;
  const before = Number(one(raw.before));
  const kind = KINDS.find((k) => k === one(raw.kind)) ?? null;
  const database = await db();
  const actors = await listAuditActors(database, user.organizationId);
  const actor = actors.find((a) => a.actor === one(raw.actor))?.actor ?? null;
  const rows = await listReadableAudit(database, user.organizationId, {
    limit: PAGE + 1,
    beforeId: Number.isSafeInteger(before) && before > 0 ? before : undefined,
    kind,
    actor,
  });
  const entries = rows.slice(0, PAGE);
  const next = rows.length > PAGE ? entries.at(-1)?.id : undefined;
  const href = (extra: Record<string, string>) => {
    const q = new URLSearchParams({ ...(kind ? { kind } : {}), ...(actor ? { actor } : {}), ...extra });
    return `/audit${q.size > 0 ? `?${q}` : ""}`;
  };

  return (
    <AppShell viewer={viewer} current="audit">
      <h1>{t("audit.title")}</h1>
      <p className="hint">{t("audit.hint")}</p>
      <form
        method="get"
        action="/audit"
        className="card filters audit-filters"
        aria-label={t("audit.filtersLabel")}
      >
        <div className="field">
          <label htmlFor="audit-kind">{t("audit.filterKind")}</label>
          <select id="audit-kind" name="kind" defaultValue={kind ?? ""} data-testid="audit-kind">
            <option value="">{t("audit.filterAll")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`audit.kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-actor">{t("audit.filterPerson")}</label>
          <select id="audit-actor" name="actor" defaultValue={actor ?? ""} data-testid="audit-actor">
            <option value="">{t("audit.filterAll")}</option>
            {actors.map((a) => (
              <option key={a.actor} value={a.actor}>
                {auditActor(viewer, a.actor, a.name)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t("audit.filterApply")}
        </button>
      </form>
      {entries.length === 0 ? (
        <p className="empty card">{kind || actor ? t("audit.emptyFiltered") : t("audit.empty")}</p>
      ) : (
        <ol className="audit-list card" data-testid="audit-table">
          {entries.map((e) => (
            <li key={e.id} data-testid="audit-entry" data-action={e.action}>
              <time dateTime={e.createdAt.toISOString()} className="muted">
                {dateTime(viewer, e.createdAt)}
              </time>{" "}
              <span data-testid="audit-sentence">{auditSentence(viewer, e)}</span>
              <details className="audit-details">
                <summary>{t("audit.showDetails")}</summary>
                <pre>
                  {JSON.stringify(
                    { action: e.action, actor: e.actor, target: e.target, ...e.details },
                    null,
                    2,
                  )}
                </pre>
              </details>
            </li>
          ))}
        </ol>
      )}
      <nav className="pager" aria-label={t("dashboard.pagination")}>
        {before > 0 && (
          <Link href={href({})} className="button button-ghost">
            ← {t("dashboard.newest")}
          </Link>
        )}
        {next && (
          <Link href={href({ before: String(next) })} className="button button-ghost">
            {t("dashboard.older")} →
          </Link>
        )}
      </nav>
    </AppShell>
  );
}
