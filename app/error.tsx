"use client";

import { useTranslations } from "use-intl";

/** Any page that failed to render: say so and offer to retry (details stay in the server logs). */
export default function PageError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("client.error");
  return (
    <main id="main" className="page">
      <div className="card error-state" role="alert">
        <h1>{t("pageTitle")}</h1>
        <p>{t("text")}</p>
        <button type="button" className="button button-primary" onClick={() => reset()}>
          {t("retry")}
        </button>{" "}
        <a href="/" className="button button-ghost">
          {t("home")}
        </a>
      </div>
    </main>
  );
}
