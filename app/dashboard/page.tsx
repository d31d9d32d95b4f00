import Link from "next/link";
import { AppShell } from "@/app/_components/app-shell";
import { ComposePanel } from "@/app/_components/compose-panel";
import { FiltersForm } from "@/app/_components/filters-form";
import { LiveRefresh } from "@/app/_components/live-refresh";
import { MessageCard } from "@/app/_components/message-card";
import { Notice } from "@/app/_components/notice";
import { OutboxPanel } from "@/app/_components/outbox-panel";
import { SandboxSent } from "@/app/_components/sandbox-sent";
import {
  cursorOf,
  filterHref,
  filterParamsSchema,
  hasFilters,
  PAGE_SIZE,
  toMessageFilters,
} from "@/app/_lib/dashboard-filters";
import { organizationFingerprint } from "@/app/_lib/fingerprint";
import { findSandboxMailbox, listSandboxSent } from "@/app/_lib/sandbox-mail";
import { requireViewer } from "@/app/_lib/viewer";
import { listOutbox } from "@/lib/db/alerts";
import { db } from "@/lib/db/client";
import { listMailboxes } from "@/lib/db/mailboxes";
import { listMessages } from "@/lib/db/messages";
import { listRecipients } from "@/lib/db/recipients";
import { isLocalMode } from "@/lib/env";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata() {
  const { t } = await requireViewer();
  return { title: t("nav.dashboard") };
}

export default async function DashboardPage({ searchParams }: Props) {
  const viewer = await requireViewer();
  const { t, user } = viewer;
  const raw = await searchParams;
  const params = filterParamsSchema.parse(raw);
  const database = await db();
  const org = user.organizationId;

  const [rows, mailboxes, fingerprint, local] = await Promise.all([
    listMessages(database, org, toMessageFilters(params, viewer.timeZone)),
    listMailboxes(database, org),
    organizationFingerprint(database, org),
    isLocalMode
      ? Promise.all([
          listOutbox(database, org),
          listRecipients(database, org),
          findSandboxMailbox(database, org),
        ])
      : null,
  ]);
  const messages = rows.slice(0, PAGE_SIZE);
  const next = rows.length > PAGE_SIZE ? cursorOf(messages.at(-1)!) : null;
  const here = filterHref(params, params.before);

  return (
    <AppShell viewer={viewer} current="dashboard">
      <div className="page-head">
        <h1>{t("dashboard.title")}</h1>
        <LiveRefresh initial={fingerprint} drain={isLocalMode} intervalMs={isLocalMode ? 2500 : 8000} />
      </div>
      <Notice viewer={viewer} params={raw} />
      {!user.organization.onboardedAt && (
        <p className="notice notice-info">
          {t("dashboard.finishOnboarding")}{" "}
          <Link href="/onboarding">{t("dashboard.finishOnboardingLink")}</Link>
        </p>
      )}
      {mailboxes.some((m) => m.status === "reconnect_required") && (
        <p className="notice notice-error" role="alert">
          {t("dashboard.reconnect")} <Link href="/settings#mailboxes">{t("nav.settings")}</Link>
        </p>
      )}
      <div className={local ? "dashboard-grid" : undefined}>
        <section aria-labelledby="emails-title" className="emails">
          <h2 id="emails-title" className="sr-only">
            {t("dashboard.emailsTitle")}
          </h2>
          <FiltersForm viewer={viewer} params={params} />
          {messages.length === 0 ? (
            <div className="empty card" data-testid="empty-state">
              <p>{hasFilters(params) ? t("dashboard.emptyFiltered") : t("dashboard.empty")}</p>
              {!hasFilters(params) && mailboxes.length === 0 && (
                <Link className="button button-primary" href="/onboarding?step=1">
                  {t("dashboard.connectMailbox")}
                </Link>
              )}
              {!hasFilters(params) && local && <p className="hint">{t("dashboard.emptyLocal")}</p>}
            </div>
          ) : (
            <ol className="message-list" aria-label={t("dashboard.emailsTitle")}>
              {messages.map((m) => (
                <li key={m.id}>
                  <MessageCard viewer={viewer} message={m} returnTo={here} />
                </li>
              ))}
            </ol>
          )}
          <nav className="pager" aria-label={t("dashboard.pagination")}>
            {params.before && (
              <Link href={filterHref(params)} className="button button-ghost">
                ← {t("dashboard.newest")}
              </Link>
            )}
            {next && (
              <Link href={filterHref(params, next)} className="button button-ghost" data-testid="next-page">
                {t("dashboard.older")} →
              </Link>
            )}
          </nav>
        </section>
        {local && (
          <aside className="local-panels" aria-label={t("dashboard.localPanels")}>
            <ComposePanel viewer={viewer} mailboxAddress={local[2]?.address ?? null} />
            <OutboxPanel viewer={viewer} alerts={local[0]} recipients={local[1]} />
            <SandboxSent viewer={viewer} mails={await listSandboxSent(local[2] ?? null)} />
          </aside>
        )}
      </div>
    </AppShell>
  );
}
