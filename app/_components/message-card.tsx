import Link from "next/link";
import { AlertStatuses } from "@/app/_components/alert-statuses";
import { FailureReason } from "@/app/_components/failure-reason";
import { PriorityChip } from "@/app/_components/priority-chip";
import { SubmitButton } from "@/app/_components/submit-button";
import { markHandledAction } from "@/app/_lib/actions/emails";
import {
  amountsText,
  analysisSentence,
  autoActionText,
  dateTime,
  deadlineText,
  localizedText,
  stakesOf,
} from "@/app/_lib/describe";
import type { Viewer } from "@/app/_lib/viewer";
import type { ListedMessage } from "@/lib/db/messages";

/** One analysed email in the dashboard list. */
export function MessageCard({
  viewer,
  message: m,
  returnTo,
}: {
  viewer: Viewer;
  message: ListedMessage;
  returnTo: string;
}) {
  const { t } = viewer;
  const received = m.receivedAt ?? m.createdAt;
  const stakes = stakesOf(m);
  const subject = m.subject || t("email.noSubject");
  return (
    <article
      className={`message-card${m.priority ? ` priority-${m.priority}` : ""}${m.handledAt ? " is-handled" : ""}`}
      data-testid="message"
      data-id={m.id}
      data-priority={m.priority ?? ""}
      data-handled={m.handledAt ? "true" : "false"}
      aria-labelledby={`subject-${m.id}`}
    >
      <header className="message-head">
        {m.priority ? (
          <PriorityChip priority={m.priority} label={t(`priority.${m.priority}`)} />
        ) : (
          <span className="chip chip-pending">{t(`messageStatus.${m.status}`)}</span>
        )}
        {m.category === "promotion" && m.priority !== "spam" && (
          <span className="badge" data-testid="promotions-badge">
            {t("category.promotion")}
          </span>
        )}
        {m.handledAt && (
          <span className="badge badge-handled" data-testid="handled-badge">
            ✓ {t("dashboard.handled")}
          </span>
        )}
        <time dateTime={received.toISOString()} className="muted message-time">
          {dateTime(viewer, received)}
        </time>
      </header>
      <h3 id={`subject-${m.id}`} className="message-subject">
        <Link href={`/dashboard/emails/${m.id}`}>{subject}</Link>
      </h3>
      <p className="message-sender">
        {m.fromName && <strong>{m.fromName}</strong>} <span className="muted">{m.fromAddress}</span>
      </p>
      {m.summary && <p className="message-summary">{localizedText(viewer, m.summary)}</p>}
      <FailureReason viewer={viewer} message={m} />
      {m.fraudWarning && (
        <p className="fraud-warning" data-testid="fraud-warning">
          <span aria-hidden="true">⚠️</span> <strong>{t("email.fraud")}</strong>{" "}
          {analysisSentence(viewer, m.fraudWarning)}
        </p>
      )}
      <dl className="facts">
        {m.suggestedAction && (
          <div>
            <dt>{t("email.suggestedAction")}</dt>
            <dd>{localizedText(viewer, m.suggestedActionPhrase) || t(`action.${m.suggestedAction}`)}</dd>
          </div>
        )}
        {stakes.deadline && (
          <div>
            <dt>{t("email.deadline")}</dt>
            <dd data-testid="deadline">
              <time dateTime={stakes.deadline.toISOString()}>{deadlineText(viewer, stakes.deadline)}</time>
            </dd>
          </div>
        )}
        {stakes.amounts.length > 0 && (
          <div>
            <dt>{t("email.amounts", { count: stakes.amounts.length })}</dt>
            <dd data-testid="amount">{amountsText(viewer, stakes.amounts)}</dd>
          </div>
        )}
        {m.autoActions.length > 0 && (
          <div>
            <dt>{t("email.autoActions")}</dt>
            <dd>{m.autoActions.map((a) => autoActionText(viewer, a)).join(", ")}</dd>
          </div>
        )}
      </dl>
      <AlertStatuses viewer={viewer} alerts={m.alerts} />
      <footer className="message-actions">
        <Link href={`/dashboard/emails/${m.id}`} className="button button-ghost">
          {t("dashboard.details")}
        </Link>
        {!m.handledAt && m.status === "analyzed" && (
          <form action={markHandledAction}>
            <input type="hidden" name="id" value={m.id} />
            <input type="hidden" name="returnTo" value={returnTo} />
            <SubmitButton className="button" data-testid="mark-handled">
              ✓ {t("dashboard.markHandled")}
              <span className="sr-only"> — {subject}</span>
            </SubmitButton>
          </form>
        )}
      </footer>
    </article>
  );
}
