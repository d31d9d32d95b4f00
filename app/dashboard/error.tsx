"use client";

import { useTranslations } from "use-intl";

/** The dashboard could not load (database unreachable…): say so and offer to retry. */
export default function DashboardError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("client");
  return (
    <main id="main" className="page">
      <div className="card error-state" role="alert">
        <h1>{t("error.title")}</h1>
        <p>{t("error.text")}</p>
        <button type="button" className="button button-primary" onClick={() => reset()}>
          {t("error.retry")}
        </button>{" "}
        <a href="/dashboard" className="button button-ghost">
          {t("error.reload")}
        </a>
      </div>
    </main>
  );
}
