import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { AlertTimeline } from "@/app/_components/alert-timeline";
import { AppShell } from "@/app/_components/app-shell";
import { CrmLine } from "@/app/_components/crm-line";
import { EmailAttachments } from "@/app/_components/email-attachments";
import { EmailReplies } from "@/app/_components/email-replies";
import { FailureReason } from "@/app/_components/failure-reason";
import { HandledBadge } from "@/app/_components/handled-badge";
import { Notice } from "@/app/_components/notice";
import { OutboxMessage } from "@/app/_components/outbox-message";
import { PriorityChip } from "@/app/_components/priority-chip";
import { SenderSignals } from "@/app/_components/sender-signals";
import { SubmitButton } from "@/app/_components/submit-button";
import { feedbackAction, markHandledAction } from "@/app/_lib/actions/emails";
import { emailCrm } from "@/app/_lib/crm-email";
import {
  amountsText,
  analysisSentence,
  autoActionText,
  dateTime,
  deadlineText,
  localizedText,
  safeWebLink,
  stakesOf,
} from "@/app/_lib/describe";
import { loadEmail } from "@/app/_lib/email-access";
import { formatPercent } from "@/app/_lib/format";
import { requireViewer } from "@/app/_lib/viewer";
import { PRIORITIES } from "@/lib/analysis/schema";
import { db } from "@/lib/db/client";
import { getHandler, getMessageSignals } from "@/lib/db/messages";
import { listMessageReplies } from "@/lib/db/replies";
import { isLocalMode } from "@/lib/env";
import { translator } from "@/lib/i18n/catalogue";
import { domainOf, isFreeMail } from "@/lib/mail/address-domain";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** The email of this request, read once for its title and its page (null: 404). */
const emailOfRequest = cache(async (id: string) => {
  const viewer = await requireViewer();
  return loadEmail(await db(), viewer.user, id);
});

export async function generateMetadata({ params }: Pick<Props, "params">) {
  const { t } = await requireViewer();
  const m = await emailOfRequest((await params).id);
  if (!m) return { title: t("notFound.title") };
  return { title: t("email.pageTitle", { subject: m.subject || t("email.noSubject") }) };
}

export default async function EmailPage({ params, searchParams }: Props) {
  const viewer = await requireViewer();
  const { t, locale } = viewer;
  const { id } = await params;
  const database = await db();
  const m = await emailOfRequest(id);
  if (!m) notFound();
  const [judged, crm, replies, handler] = await Promise.all([
    getMessageSignals(database, viewer.user.organizationId, m.id),
    emailCrm(database, viewer.user.organizationId, m),
    listMessageReplies(database, viewer.user.organizationId, m.id),
    m.handledAt ? getHandler(database, viewer.user.organizationId, m.id) : null,
  ]);
  const from = m.fromAddress ?? "";
  const domain = domainOf(from);
  const here = `/dashboard/emails/${m.id}`;
  const link = safeWebLink(m.webLink);
  const subject = m.subject || t("email.noSubject");
  const received = m.receivedAt ?? m.createdAt;
  const stakes = stakesOf(m);

  return (
    <AppShell viewer={viewer} current="dashboard">
      <p>
        <Link href="/dashboard">← {t("email.back")}</Link>
      </p>
      <Notice viewer={viewer} params={await searchParams} />
      <article className="email-detail" data-testid="email-detail" aria-labelledby="email-subject">
        <header className="card">
          <div className="message-head">
            {m.priority ? (
              <PriorityChip priority={m.priority} label={t(`priority.${m.priority}`)} />
            ) : (
              <span className="chip chip-pending">{t(`messageStatus.${m.status}`)}</span>
            )}
            {m.handledAt && (
              <HandledBadge viewer={viewer} handledAt={m.handledAt} name={handler?.name ?? null} />
            )}
          </div>
          <h1 id="email-subject">{subject}</h1>
          <p className="message-sender">
            {m.fromName && <strong>{m.fromName}</strong>} <span className="muted">{m.fromAddress}</span>
          </p>
          <p className="muted">
            {t("email.received", { date: dateTime(viewer, received) })} ·{" "}
            {t("email.mailbox", { address: m.mailbox.address })}
          </p>
          <FailureReason viewer={viewer} message={m} />
          <div className="button-row">
            {link && (
              <a className="button" href={link} target="_blank" rel="noopener noreferrer">
                {t(`email.open.${m.mailbox.provider === "outlook" ? "outlook" : "gmail"}`)}
              </a>
            )}
            {!m.handledAt && m.status === "analyzed" && (
              <form action={markHandledAction}>
                <input type="hidden" name="id" value={m.id} />
                <input type="hidden" name="returnTo" value={here} />
                <SubmitButton className="button button-primary" data-testid="mark-handled">
                  ✓ {t("dashboard.markHandled")}
                </SubmitButton>
              </form>
            )}
          </div>
        </header>

        <section className="card" aria-labelledby="analysis-title">
          <h2 id="analysis-title">{t("email.analysis")}</h2>
          {m.summary && <p className="message-summary">{localizedText(viewer, m.summary)}</p>}
          {m.fraudWarning && (
            <p className="fraud-warning">
              <span aria-hidden="true">⚠️</span> <strong>{t("email.fraud")}</strong>{" "}
              {analysisSentence(viewer, m.fraudWarning)}
            </p>
          )}
          <dl className="facts facts-wide">
            {m.category && (
              <div>
                <dt>{t("email.category")}</dt>
                <dd>{t(`category.${m.category}`)}</dd>
              </div>
            )}
            {m.suggestedAction && (
              <div>
                <dt>{t("email.suggestedAction")}</dt>
                <dd>
                  {t(`action.${m.suggestedAction}`)}
                  {m.suggestedActionPhrase && ` — ${localizedText(viewer, m.suggestedActionPhrase)}`}
                </dd>
              </div>
            )}
            {stakes.deadline && (
              <div>
                <dt>{t("email.deadline")}</dt>
                <dd>
                  <time dateTime={stakes.deadline.toISOString()}>
                    {deadlineText(viewer, stakes.deadline)}
                  </time>
                </dd>
              </div>
            )}
            {stakes.amounts.length > 0 && (
              <div>
                <dt>{t("email.amounts", { count: stakes.amounts.length })}</dt>
                <dd>{amountsText(viewer, stakes.amounts)}</dd>
              </div>
            )}
            <div>
              <dt>{t("email.autoActions")}</dt>
              <dd>
                {m.autoActions.length > 0
                  ? m.autoActions.map((a) => autoActionText(viewer, a)).join(", ")
                  : t("email.none")}
              </dd>
            </div>
            {m.analyzer && (
              <div>
                <dt>{t("email.analyzer")}</dt>
                <dd data-testid="analyzer">
                  {t(`analyzer.${m.analyzer}`)}
                  {m.llmModel && ` (${m.llmModel})`}
                </dd>
              </div>
            )}
            {m.confidence !== null && (
              <div>
                <dt>{t("email.confidence")}</dt>
                <dd>{formatPercent(m.confidence, locale)}</dd>
              </div>
            )}
          </dl>
          {judged?.analyzedPriority && judged.feedbackPriority && (
            <p className="muted" data-testid="corrected">
              {t("email.corrected", { priority: t(`priority.${judged.analyzedPriority}`) })}
            </p>
          )}
          {crm && <CrmLine viewer={viewer} crm={crm} />}
          {judged?.signals && <SenderSignals viewer={viewer} signals={judged.signals} />}
          {m.status !== "failed" && m.reasons.length > 0 && (
            <>
              <h3>{t("email.reasons")}</h3>
              <ul className="reasons">
                {m.reasons.map((r, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list from one analysis
                  <li key={i}>{analysisSentence(viewer, r)}</li>
                ))}
              </ul>
            </>
          )}
        </section>

        <EmailAttachments viewer={viewer} attachments={m.attachments} />

        <section className="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">{t("email.timeline")}</h2>
          <AlertTimeline viewer={viewer} alerts={m.alerts} />
        </section>

        {isLocalMode && m.alerts.some((a) => a.delivery === "outbox") && (
          // Local mode: this email's messages as the phone shows them, their buttons usable here
          // however far down the dashboard's outbox they have gone.
          <section className="card outbox" aria-labelledby="phone-title" data-testid="email-outbox">
            <h2 id="phone-title">
              <span aria-hidden="true">💬</span> {t("outbox.onEmailTitle")}
            </h2>
            <p className="hint">{t("outbox.onEmailHint")}</p>
            <ol className="outbox-list">
              {m.alerts
                .filter((a) => a.delivery === "outbox")
                .map((a) => (
                  <OutboxMessage key={a.id} viewer={viewer} alert={a} returnTo={here} />
                ))}
            </ol>
          </section>
        )}
        <section className="card" aria-labelledby="replies-title">
          <h2 id="replies-title">{translator(locale, "replies")("history.title")}</h2>
          <EmailReplies viewer={viewer} replies={replies} />
        </section>

        {m.priority && (
          <section className="card" aria-labelledby="feedback-title">
            <h2 id="feedback-title">{t("email.feedbackTitle")}</h2>
            {m.feedbackPriority && (
              <p className="muted">
                {t("email.feedbackGiven", { priority: t(`priority.${m.feedbackPriority}`) })}
              </p>
            )}
            <form action={feedbackAction} className="stack">
              <input type="hidden" name="id" value={m.id} />
              <input type="hidden" name="returnTo" value={here} />
              <fieldset>
                <legend>{t("email.feedbackQuestion")}</legend>
                <div className="radio-row">
                  {PRIORITIES.map((p) => (
                    <label key={p} className="radio">
                      <input
                        type="radio"
                        name="priority"
                        value={p}
                        defaultChecked={p === (m.feedbackPriority ?? m.priority)}
                        required
                      />{" "}
                      {t(`priority.${p}`)}
                    </label>
                  ))}
                </div>
              </fieldset>
              {from.includes("@") && (
                <fieldset>
                  <legend>{t("email.feedbackRule")}</legend>
                  <div className="radio-row">
                    {(["none", "sender", ...(isFreeMail(domain) ? [] : ["domain"])] as const).map((scope) => (
                      <label key={scope} className="radio">
                        <input type="radio" name="scope" value={scope} defaultChecked={scope === "none"} />{" "}
                        {t(`email.feedbackScope.${scope}`, { address: from, domain: `@${domain}` })}
                      </label>
                    ))}
                  </div>
                </fieldset>
              )}
              <SubmitButton className="button">{t("email.feedbackSend")}</SubmitButton>
            </form>
          </section>
        )}
      </article>
    </AppShell>
  );
}
