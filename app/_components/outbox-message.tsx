import { SubmitButton } from "@/app/_components/submit-button";
import { WhatsAppBubble } from "@/app/_components/whatsapp-bubble";
import { phoneRepliesToAction, pressOutboxButtonAction } from "@/app/_lib/actions/sandbox";
import { dateTime, recipientAddress } from "@/app/_lib/describe";
import type { Viewer } from "@/app/_lib/viewer";
import type { Alert } from "@/lib/db/schemas";

const TICKS: Partial<Record<Alert["status"], string>> = { sent: "✓", delivered: "✓✓", read: "✓✓" };

/**
 * One message of local mode's WhatsApp as the recipient's phone shows it, with its reply buttons
 * and a reply box that go through the real webhook handling; the dashboard's outbox and the
 * email's page both show it, and a press comes back to the page it was made on (`returnTo`).
 */
export function OutboxMessage({
  viewer,
  alert: a,
  returnTo,
}: {
  viewer: Viewer;
  alert: Alert;
  returnTo: string;
}) {
  const { t } = viewer;
  return (
    <li data-testid="outbox-message" data-alert-id={a.id} data-kind={a.kind}>
      <p className="outbox-to">
        {a.address
          ? t("outbox.to", {
              name: a.recipientName ?? "",
              phone: recipientAddress({ channel: a.channel, address: a.address }),
            })
          : t("outbox.toName", { name: a.recipientName ?? "" })}
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
        buttons={[
          ...(a.rendered?.buttons ?? []),
          ...(a.rendered?.list?.sections.flatMap((x) => x.rows) ?? []),
        ].map((b) => (
          <form key={b.id} action={pressOutboxButtonAction}>
            <input type="hidden" name="alertId" value={a.id} />
            <input type="hidden" name="buttonId" value={b.id} />
            <input type="hidden" name="returnTo" value={returnTo} />
            <SubmitButton className="wa-button" data-testid="outbox-button" data-button-id={b.id}>
              {b.title}
            </SubmitButton>
          </form>
        ))}
      />
      {a.kind !== "digest" && a.status !== "skipped" && (
        <form action={phoneRepliesToAction} className="inline-form phone-quote">
          <input type="hidden" name="alertId" value={a.id} />
          <input type="hidden" name="returnTo" value={returnTo} />
          <label className="sr-only" htmlFor={`quote-${a.id}`}>
            {t("outbox.quoteLabel")}
          </label>
          <input
            id={`quote-${a.id}`}
            name="text"
            required
            maxLength={500}
            placeholder={t("outbox.quotePlaceholder")}
            data-testid="outbox-quote"
          />
          <SubmitButton className="link-button" data-testid="outbox-quote-send">
            {t("outbox.quoteSend")}
          </SubmitButton>
        </form>
      )}
    </li>
  );
}
