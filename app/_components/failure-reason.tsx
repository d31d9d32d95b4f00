import type { Viewer } from "@/app/_lib/viewer";
import type { TextRef } from "@/lib/analysis/schema";

const CODES = new Set(["data", "schema", "size", "analysis", "retries", "interrupted"]);

/** Why an email ends `failed` (its reason code, lib/jobs/analysis-failure.ts), in the viewer's language. */
export function FailureReason({
  viewer,
  message: m,
}: {
  viewer: Viewer;
  message: { status: string; reasons: (string | TextRef)[] };
}) {
  if (m.status !== "failed") return null;
  const { t } = viewer;
  // A failed email's first reason is its code, a plain string (an analysis's are catalogue keys).
  const first = m.reasons[0];
  const code = typeof first === "string" ? first : "";
  return (
    <p className="message-summary" data-testid="failure-reason" data-reason={code}>
      <strong>{t("failure.title")}</strong> {CODES.has(code) ? t(`failure.${code}`) : t("failure.unknown")}{" "}
      <span className="muted">{t("failure.hint")}</span>
    </p>
  );
}
