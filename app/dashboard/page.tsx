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
import { OUTBOX_PAGE_SIZE, outboxHref, outboxViewOf } from "@/app/_lib/outbox-params";
import { findSandboxMailbox, listSandboxSent } from "@/app/_lib/sandbox-mail";
import { requireViewer } from "@/app/_lib/viewer";
import { db } from "@/lib/db/client";
import { listMailboxes } from "@/lib/db/mailboxes";
import { listMessages } from "@/lib/db/messages";
import { outboxConversations, outboxPage } from "@/lib/db/outbox";
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
  const outboxView = outboxViewOf(raw);

  const [rows, mailboxes, fingerprint, local] = await Promise.all([
    listMessages(database, org, toMessageFilters(params, viewer.timeZone)),
    listMailboxes(database, org),
    organizationFingerprint(database, org),
    isLocalMode
      ? Promise.all([
          outboxPage(database, org, { ...outboxView, limit: OUTBOX_PAGE_SIZE }),
          listRecipients(database, org),
          findSandboxMailbox(database, org),
          outboxConversations(database, org),
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
      {local && (
        // On a phone the tools sit below the emails: these tabs reach them without scrolling past.
        <nav className="local-tabs" aria-label={t("dashboard.localPanels")}>
          <a href="#emails-title">{t("dashboard.panels.emails")}</a>
          <a href="#sandbox">{t("dashboard.panels.compose")}</a>
          <a href="#outbox">{t("dashboard.panels.outbox")}</a>
          <a href="#sandbox-sent">{t("dashboard.panels.sent")}</a>
        </nav>
      )}
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
            {/* Each tool folds away; open by default, so a newcomer sees them all. */}
            <details className="panel-fold" open>
              <summary>{t("dashboard.panels.compose")}</summary>
              <ComposePanel viewer={viewer} mailboxAddress={local[2]?.address ?? null} />
            </details>
            <details className="panel-fold" open>
              <summary>{t("dashboard.panels.outbox")}</summary>
              <OutboxPanel
                viewer={viewer}
                alerts={local[0].alerts}
                next={local[0].next}
                paged={outboxView.before !== null}
                conversations={local[3]}
                recipientId={outboxView.recipientId}
                recipients={local[1]}
                hrefFor={(view) => outboxHref(raw, view)}
                here={outboxHref(raw, outboxView)}
              />
            </details>
            <details className="panel-fold" open>
              <summary>{t("dashboard.panels.sent")}</summary>
              <SandboxSent viewer={viewer} mails={await listSandboxSent(local[2] ?? null)} />
            </details>
          </aside>
        )}
      </div>
    </AppShell>
  );
}
