import type { Viewer } from "@/app/_lib/viewer";

const CODES = new Set(["data", "schema", "size", "analysis", "retries"]);

/** Why an email ends `failed` (its reason code, lib/jobs/analysis-failure.ts), in the viewer's language. */
export function FailureReason({
  viewer,
  message: m,
}: {
  viewer: Viewer;
  message: { status: string; reasons: string[] };
}) {
  if (m.status !== "failed") return null;
  const { t } = viewer;
  const code = m.reasons[0] ?? "";
  return (
    <p className="message-summary" data-testid="failure-reason" data-reason={code}>
      <strong>{t("failure.title")}</strong> {CODES.has(code) ? t(`failure.${code}`) : t("failure.unknown")}{" "}
      <span className="muted">{t("failure.hint")}</span>
    </p>
  );
}
