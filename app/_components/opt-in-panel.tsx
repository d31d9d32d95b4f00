"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useFormatter, useTranslations } from "use-intl";
import { type Sent, TypedCodeOptIn } from "@/app/_components/typed-code-opt-in";
import {
  type OptInResult,
  phoneSendsCodeAction,
  sendCodeAction,
  startOptInAction,
} from "@/app/_lib/actions/recipients";

type Shown = Extract<OptInResult, { ok: true }>;

/** Error keys of `client.optIn.errors` the actions return; anything else reads as "other". */
const KNOWN_ERRORS = new Set([
  "rateLimited",
  "whatsappBusy",
  "undeliverable",
  "timeout",
  "sendFailed",
  "notFound",
]);

/**
 * Opt-in of one recipient, two ways. Either a fresh code shown once (QR code + wa.me link with the
 * code prefilled), which the recipient sends to us: the page's live refresh flips the status when
 * the message arrives, and in local mode the simulated phone can send it. Or a code we send with
 * the verification template, typed back in the app. Each new code replaces the previous one, so
 * only one way is shown at a time.
 */
export function OptInPanel({
  recipientId,
  name,
  local,
}: {
  recipientId: string;
  name: string;
  local: boolean;
}) {
  const t = useTranslations("client.optIn");
  const format = useFormatter();
  const router = useRouter();
  const [shown, setShown] = useState<Shown | null>(null);
  const [sent, setSent] = useState<Sent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const start = () =>
    startTransition(async () => {
      const result = await startOptInAction(recipientId);
      if (result.ok) {
        setShown(result);
        setSent(null);
        setError(null);
      } else setError(result.error);
    });

  const sendCode = () =>
    startTransition(async () => {
      const result = await sendCodeAction(recipientId);
      if (result.ok) {
        setSent(result);
        setShown(null);
        setError(null);
      } else setError(result.error);
    });

  const sendCodeButton = (
    <button
      type="button"
      className={`button${shown || sent ? " button-ghost" : ""}`}
      onClick={sendCode}
      disabled={pending}
      data-testid="opt-in-send-code"
    >
      {sent ? t("resend") : t("sendCode")}
    </button>
  );

  const simulate = () =>
    startTransition(async () => {
      if (!shown) return;
      const result = await phoneSendsCodeAction(recipientId, shown.code);
      if (!result.ok) setError(result.error ?? "invalid");
      router.refresh();
    });

  return (
    <div className="opt-in" data-testid="opt-in-panel">
      {!shown && !sent && (
        <div className="button-row">
          <button
            type="button"
            className="button"
            onClick={start}
            disabled={pending}
            data-testid="opt-in-start"
          >
            {t("start")}
          </button>
          {sendCodeButton}
        </div>
      )}
      {error && (
        <p className="notice notice-error" role="alert" data-testid="opt-in-error" data-error={error}>
          {t(`errors.${KNOWN_ERRORS.has(error) ? error : "other"}`)}
        </p>
      )}
      {sent && (
        <>
          {/* A new send is a new component: nothing typed for the previous code is kept. */}
          <TypedCodeOptIn key={sent.expiresAt} recipientId={recipientId} name={name} sent={sent} />
          <div className="button-row">
            {sendCodeButton}
            <button type="button" className="button button-ghost" onClick={start} disabled={pending}>
              {t("start")}
            </button>
          </div>
        </>
      )}
      {shown && (
        <div className="opt-in-code">
          <p>{shown.link ? t("instructions", { name }) : t("instructionsNoLink", { name })}</p>
          {shown.qr && (
            <svg
              className="qr"
              viewBox={`0 0 ${shown.qr.size} ${shown.qr.size}`}
              role="img"
              aria-label={t("qrLabel", { name })}
              shapeRendering="crispEdges"
            >
              <rect width="100%" height="100%" fill="#fff" />
              <path d={shown.qr.path} fill="#000" />
            </svg>
          )}
          <p className="code" data-testid="opt-in-code">
            {t("code")} <strong>{shown.display}</strong>
          </p>
          <p className="muted">
            {t("expires", {
              time: format.dateTime(new Date(shown.expiresAt), { hour: "2-digit", minute: "2-digit" }),
            })}
          </p>
          <div className="button-row">
            {shown.link && (
              <a
                className="button button-whatsapp"
                href={shown.link}
                target="_blank"
                rel="noopener noreferrer"
              >
                {t("openWhatsApp")}
              </a>
            )}
            {local && (
              <button
                type="button"
                className="button button-primary"
                onClick={simulate}
                disabled={pending}
                data-testid="opt-in-simulate"
              >
                📱 {t("simulate", { name })}
              </button>
            )}
            <button type="button" className="button button-ghost" onClick={start} disabled={pending}>
              {t("newCode")}
            </button>
            {sendCodeButton}
          </div>
          <p className="muted" role="status">
            {pending ? t("working") : t("waiting")}
          </p>
        </div>
      )}
    </div>
  );
}
