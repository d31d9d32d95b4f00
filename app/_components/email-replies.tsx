import { dateTime } from "@/app/_lib/describe";
import type { Viewer } from "@/app/_lib/viewer";
import type { listMessageReplies } from "@/lib/db/replies";
import { translator } from "@/lib/i18n/catalogue";

type SentReply = Awaited<ReturnType<typeof listMessageReplies>>[number];

/** The email page's replies: who answered whom, with which template, when — never the text (not kept). */
export function EmailReplies({ viewer, replies }: { viewer: Viewer; replies: SentReply[] }) {
  const tr = translator(viewer.locale, "replies");
  if (replies.length === 0) return <p className="muted">{tr("history.empty")}</p>;
  return (
    <ol className="rule-list" data-testid="email-replies">
      {replies.map((r) => (
        <li key={r.id} data-testid="email-reply" data-status={r.status} data-origin={r.origin}>
          <strong>
            {r.origin === "auto"
              ? tr("history.auto", { to: r.toAddress })
              : tr("history.byRecipient", { name: r.recipientName ?? "?", to: r.toAddress })}
          </strong>{" "}
          · {r.templateTitle ? tr("history.template", { title: r.templateTitle }) : tr("history.freeText")} ·{" "}
          <span className="muted">
            {r.status === "sent"
              ? tr("history.status.sent", { at: dateTime(viewer, r.sentAt ?? r.createdAt) })
              : r.status === "failed"
                ? tr("history.status.failed", { error: r.error ?? "?" })
                : tr("history.status.sending")}
          </span>
        </li>
      ))}
    </ol>
  );
}
