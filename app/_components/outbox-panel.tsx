import Link from "next/link";
import { OutboxMessage } from "@/app/_components/outbox-message";
import { SubmitButton } from "@/app/_components/submit-button";
import { phoneTypesAction } from "@/app/_lib/actions/sandbox";
import { recipientAddress } from "@/app/_lib/describe";
import type { Viewer } from "@/app/_lib/viewer";
import type { OutboxConversation, OutboxCursor } from "@/lib/db/outbox";
import type { Alert, Recipient } from "@/lib/db/schemas";

/**
 * The phones one can type on: each WhatsApp recipient who opted in, and each who sent STOP — they
 * stay, marked as stopped, so START can be sent from them (an e-mail recipient has no phone).
 */
export function simulatedPhones(recipients: Recipient[]): Recipient[] {
  return recipients.filter(
    (r) => r.channel === "whatsapp" && (r.status === "opted_in" || r.status === "opted_out"),
  );
}

export type OutboxPanelProps = {
  viewer: Viewer;
  alerts: Alert[];
  /** Where "Plus anciens" continues; null on the last page. */
  next: OutboxCursor | null;
  /** Whether this page is past the first one (a link back to the newest). */
  paged: boolean;
  conversations: OutboxConversation[];
  /** The conversation shown, or null for every recipient's messages. */
  recipientId: string | null;
  recipients: Recipient[];
  /** The dashboard's link for another view of the outbox. */
  hrefFor: (view: { recipientId: string | null; before?: OutboxCursor | null }) => string;
  /** This view, where a button press comes back to. */
  here: string;
};

/**
 * Local mode's WhatsApp: every message the app "sent", newest first and paged, for everyone or one
 * recipient's conversation (the most recent conversation first), with working reply buttons.
 */
export function OutboxPanel(p: OutboxPanelProps) {
  const { t } = p.viewer;
  const phones = simulatedPhones(p.recipients);
  const phoneOf = phones.find((r) => r.id === p.recipientId)?.id;
  return (
    <section id="outbox" className="card outbox" aria-labelledby="outbox-title" data-testid="outbox">
      <h2 id="outbox-title">
        <span aria-hidden="true">💬</span> {t("outbox.title")}
      </h2>
      <p className="hint">{t("outbox.hint")}</p>
      {p.conversations.length > 1 && (
        <nav aria-label={t("outbox.conversations")} className="outbox-conversations">
          <ul>
            <li>
              <Link
                href={p.hrefFor({ recipientId: null })}
                aria-current={p.recipientId === null ? "page" : undefined}
                data-testid="outbox-conversation"
              >
                {t("outbox.everyone")}
              </Link>
            </li>
            {p.conversations.map((c) => (
              <li key={c.recipientId}>
                <Link
                  href={p.hrefFor({ recipientId: c.recipientId })}
                  aria-current={p.recipientId === c.recipientId ? "page" : undefined}
                  data-testid="outbox-conversation"
                >
                  {c.name} <span className="muted">({c.messages})</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {p.alerts.length === 0 ? (
        <p className="empty">{t("outbox.empty")}</p>
      ) : (
        <ol className="outbox-list">
          {p.alerts.map((a) => (
            <OutboxMessage key={a.id} viewer={p.viewer} alert={a} returnTo={p.here} />
          ))}
        </ol>
      )}
      {(p.paged || p.next) && (
        <nav className="pager" aria-label={t("outbox.pagination")}>
          {p.paged && (
            <Link href={p.hrefFor({ recipientId: p.recipientId })} className="button button-ghost">
              ← {t("outbox.newest")}
            </Link>
          )}
          {p.next && (
            <Link
              href={p.hrefFor({ recipientId: p.recipientId, before: p.next })}
              className="button button-ghost"
              data-testid="outbox-older"
            >
              {t("outbox.older")} →
            </Link>
          )}
        </nav>
      )}
      {phones.length > 0 && (
        <form action={phoneTypesAction} className="phone-type">
          <input type="hidden" name="returnTo" value={p.here} />
          <h3>{t("outbox.typeTitle")}</h3>
          <div className="field">
            <label htmlFor="phone-recipient">{t("outbox.typeFrom")}</label>
            <select id="phone-recipient" name="recipientId" defaultValue={phoneOf}>
              {phones.map((r) => (
                <option key={r.id} value={r.id} data-testid="phone-option" data-status={r.status}>
                  {t(r.status === "opted_out" ? "outbox.phoneStopped" : "outbox.phone", {
                    name: r.name,
                    phone: recipientAddress(r),
                  })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="phone-text">{t("outbox.typeText")}</label>
            <input
              id="phone-text"
              name="text"
              required
              maxLength={500}
              placeholder={t("outbox.typePlaceholder")}
            />
          </div>
          <SubmitButton className="button">{t("outbox.typeSend")}</SubmitButton>
        </form>
      )}
    </section>
  );
}
