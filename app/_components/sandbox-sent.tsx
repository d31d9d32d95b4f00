import type { SandboxSentMail } from "@/app/_lib/sandbox-mail";
import type { Viewer } from "@/app/_lib/viewer";
import { translator } from "@/lib/i18n/catalogue";

/** Local mode: the sandbox mailbox's Sent folder, where replies confirmed on the simulated phone land. */
export function SandboxSent({ viewer, mails }: { viewer: Viewer; mails: SandboxSentMail[] }) {
  const tr = translator(viewer.locale, "replies");
  return (
    <section id="sandbox-sent" className="card" aria-labelledby="sent-title" data-testid="sandbox-sent">
      <h2 id="sent-title">{tr("sent.title")}</h2>
      {mails.length === 0 ? (
        <p className="empty">{tr("sent.empty")}</p>
      ) : (
        <ol className="rule-list">
          {mails.map((m) => (
            <li key={m.id} data-testid="sandbox-sent-mail">
              <strong>{m.subject}</strong> — {tr("sent.to", { to: m.to })}
              {m.inReplyTo && <span className="muted"> · {tr("sent.inThread")}</span>}
              {m.autoReplied && <span className="muted"> · {tr("sent.auto")}</span>}
              <p className="hint">{m.preview}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
