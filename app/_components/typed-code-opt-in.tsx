"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { useFormatter, useTranslations } from "use-intl";
import { WhatsAppBubble } from "@/app/_components/whatsapp-bubble";
import { type SendCodeResult, verifyCodeAction } from "@/app/_lib/actions/recipients";

export type Sent = Extract<SendCodeResult, { ok: true }>;

/**
 * The code sent with the verification template, typed back here. In local mode there is no
 * WhatsApp to deliver it, so the message the simulated phone received is shown above the form.
 * A right code opts the number in; the page refresh then replaces this panel with the status.
 */
export function TypedCodeOptIn({
  recipientId,
  name,
  sent,
}: {
  recipientId: string;
  name: string;
  sent: Sent;
}) {
  const t = useTranslations("client.optIn");
  const format = useFormatter();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [verified, setVerified] = useState(false);
  const [pending, startTransition] = useTransition();
  const time = format.dateTime(new Date(sent.expiresAt), { hour: "2-digit", minute: "2-digit" });
  const inputId = `code-${recipientId}`;

  const verify = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "");
    startTransition(async () => {
      const result = await verifyCodeAction(recipientId, code);
      if (result.ok) {
        setVerified(true);
        setError(null);
        router.refresh();
      } else setError(result.error);
    });
  };

  return (
    <div className="opt-in-code" data-testid="opt-in-typed" data-delivery={sent.delivery}>
      {sent.delivery === "whatsapp" ? (
        <p>{t("codeSent", { phone: sent.phone, time })}</p>
      ) : (
        <>
          <p>{t("phoneReceived", { name, phone: sent.phone, time })}</p>
          <div className="opt-in-phone" data-testid="opt-in-phone-message">
            <WhatsAppBubble
              body={sent.message.body}
              label={t("phoneLabel", { name })}
              footer={sent.message.footer}
              buttons={
                <button
                  type="button"
                  className="wa-button"
                  onClick={() => void navigator.clipboard?.writeText(sent.code).catch(() => {})}
                >
                  {sent.message.button}
                </button>
              }
            />
          </div>
        </>
      )}
      <form className="inline-form" onSubmit={verify}>
        <div className="field">
          <label htmlFor={inputId}>{t("enterTitle")}</label>
          <p id={`${inputId}-hint`} className="hint">
            {t("codeHint")}
          </p>
          <input
            id={inputId}
            name="code"
            required
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={16}
            placeholder="123456"
            aria-describedby={error ? `${inputId}-hint ${inputId}-error` : `${inputId}-hint`}
            data-testid="opt-in-code-input"
          />
        </div>
        <button
          type="submit"
          className="button button-primary"
          disabled={pending || verified}
          data-testid="opt-in-verify"
        >
          {t("verify")}
        </button>
      </form>
      {error && (
        <p
          id={`${inputId}-error`}
          className="notice notice-error"
          role="alert"
          data-testid="opt-in-code-error"
        >
          {t(`errors.${error}`)}
        </p>
      )}
      <p className="muted" role="status">
        {verified ? t("verified", { name }) : pending ? t("working") : ""}
      </p>
    </div>
  );
}
