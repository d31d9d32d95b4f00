import { SubmitButton } from "@/app/_components/submit-button";
import { WhatsAppBubble } from "@/app/_components/whatsapp-bubble";
import { phoneTypesAction, pressOutboxButtonAction } from "@/app/_lib/actions/sandbox";
import { dateTime, recipientAddress } from "@/app/_lib/describe";
import type { Viewer } from "@/app/_lib/viewer";
import type { Alert, Recipient } from "@/lib/db/schemas";

const TICKS: Partial<Record<Alert["status"], string>> = { sent: "✓", delivered: "✓✓", read: "✓✓" };

/**
 * Local mode's WhatsApp: every message the app "sent", as the recipient's phone would show it,
 * with reply buttons that go through the real webhook handling when pressed.
 */
export function OutboxPanel({
  viewer,
  alerts,
  recipients,
}: {
  viewer: Viewer;
  alerts: Alert[];
  recipients: Recipient[];
}) {
  const { t } = viewer;
  const optedIn = recipients.filter((r) => r.status === "opted_in");
  return (
    <section id="outbox" className="card outbox" aria-labelledby="outbox-title" data-testid="outbox">
      <h2 id="outbox-title">
        <span aria-hidden="true">💬</span> {t("outbox.title")}
      </h2>
      <p className="hint">{t("outbox.hint")}</p>
      {alerts.length === 0 ? (
        <p className="empty">{t("outbox.empty")}</p>
      ) : (
        <ol className="outbox-list">
          {alerts.map((a) => (
            <li key={a.id} data-testid="outbox-message" data-alert-id={a.id} data-kind={a.kind}>
              <p className="outbox-to">
                {t("outbox.to", {
                  name: a.recipientName ?? "",
                  phone: a.address ? recipientAddress({ channel: a.channel, address: a.address }) : "",
                })}
              </p>
              <WhatsAppBubble
                body={a.rendered?.body ?? ""}
                label={t("outbox.messageTo", { name: a.recipientName ?? "" })}
                footer={
                  <>
                    {a.sentAt && <time dateTime={a.sentAt.toISOString()}>{dateTime(viewer, a.sentAt)}</time>}{" "}
                    <span className={`ticks ticks-${a.status}`} title={t(`alertStatus.${a.status}`)}>
                      {TICKS[a.status] ?? ""}
                    </span>
                    <span className="sr-only"> {t(`alertStatus.${a.status}`)}</span>
                  </>
                }
                buttons={a.rendered?.buttons.map((b) => (
                  <form key={b.id} action={pressOutboxButtonAction}>
                    <input type="hidden" name="alertId" value={a.id} />
                    <input type="hidden" name="buttonId" value={b.id} />
                    <SubmitButton className="wa-button" data-testid="outbox-button" data-button-id={b.id}>
                      {b.title}
                    </SubmitButton>
                  </form>
                ))}
              />
            </li>
          ))}
        </ol>
      )}
      {optedIn.length > 0 && (
        <form action={phoneTypesAction} className="phone-type">
          <h3>{t("outbox.typeTitle")}</h3>
          <div className="field">
            <label htmlFor="phone-recipient">{t("outbox.typeFrom")}</label>
            <select id="phone-recipient" name="recipientId">
              {optedIn.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} ({recipientAddress(r)})
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
