"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useFormatter, useTranslations } from "use-intl";
import { type OptInResult, phoneSendsCodeAction, startOptInAction } from "@/app/_lib/actions/recipients";

type Shown = Extract<OptInResult, { ok: true }>;

/**
 * Opt-in of one recipient: shows a fresh code once (QR code + wa.me link with the code prefilled);
 * the page's live refresh flips the status when the recipient's message arrives. In local mode the
 * simulated phone can send the message.
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
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const start = () =>
    startTransition(async () => {
      const result = await startOptInAction(recipientId);
      if (result.ok) {
        setShown(result);
        setError(null);
      } else setError(result.error);
    });

  const simulate = () =>
    startTransition(async () => {
      if (!shown) return;
      const result = await phoneSendsCodeAction(recipientId, shown.code);
      if (!result.ok) setError(result.error ?? "invalid");
      router.refresh();
    });

  return (
    <div className="opt-in" data-testid="opt-in-panel">
      {!shown && (
        <button
          type="button"
          className="button"
          onClick={start}
          disabled={pending}
          data-testid="opt-in-start"
        >
          {t("start")}
        </button>
      )}
      {error && (
        <p className="notice notice-error" role="alert">
          {t(`errors.${error === "rateLimited" ? "rateLimited" : "other"}`)}
        </p>
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
          </div>
          <p className="muted" role="status">
            {pending ? t("working") : t("waiting")}
          </p>
        </div>
      )}
    </div>
  );
}
