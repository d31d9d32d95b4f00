import Link from "next/link";
import { AppShell } from "@/app/_components/app-shell";
import { dateTime } from "@/app/_lib/describe";
import { hasWebMessage } from "@/app/_lib/messages";
import { requireViewer } from "@/app/_lib/viewer";
import { listAudit } from "@/lib/db/audit";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";

const PAGE = 50;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata() {
  const { t } = await requireViewer();
  return { title: t("nav.audit") };
}

/** Who did what, when: the organization's append-only audit log, newest first. */
export default async function AuditPage({ searchParams }: Props) {
  const viewer = await requireViewer();
  const { t, user, locale } = viewer;
  const before = Number((await searchParams).before);
  const rows = await listAudit(await db(), user.organizationId, {
    limit: PAGE + 1,
    beforeId: Number.isSafeInteger(before) && before > 0 ? before : undefined,
  });
  const entries = rows.slice(0, PAGE);
  const next = rows.length > PAGE ? entries.at(-1)?.id : undefined;

  const actor = (a: string) => {
    if (a === `user:${user.userId}`) return t("audit.actor.you");
    const kind = a.split(":")[0] ?? a;
    return hasWebMessage(locale, `audit.actor.${kind}`) ? t(`audit.actor.${kind}`) : a;
  };

  return (
    <AppShell viewer={viewer} current="audit">
      <h1>{t("audit.title")}</h1>
      <p className="hint">{t("audit.hint")}</p>
      {entries.length === 0 ? (
        <p className="empty card">{t("audit.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="audit-table" data-testid="audit-table">
            <caption className="sr-only">{t("audit.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("audit.when")}</th>
                <th scope="col">{t("audit.who")}</th>
                <th scope="col">{t("audit.what")}</th>
                <th scope="col">{t("audit.details")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.createdAt.toISOString()}>{dateTime(viewer, e.createdAt)}</time>
                  </td>
                  <td>{actor(e.actor)}</td>
                  <td>
                    {hasWebMessage(locale, `audit.action.${e.action.replaceAll(".", "_")}`)
                      ? t(`audit.action.${e.action.replaceAll(".", "_")}`)
                      : e.action}
                  </td>
                  <td className="muted audit-details">
                    {Object.entries(e.details)
                      .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
                      .join(" · ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label={t("dashboard.pagination")}>
        {before > 0 && (
          <Link href="/audit" className="button button-ghost">
            ← {t("dashboard.newest")}
          </Link>
        )}
        {next && (
          <Link href={`/audit?before=${next}`} className="button button-ghost">
            {t("dashboard.older")} →
          </Link>
        )}
      </nav>
    </AppShell>
  );
}
