import { hasWebMessage } from "@/app/_lib/messages";
import type { Viewer } from "@/app/_lib/viewer";

/** The outcome of the last form, from `?notice=` / `?error=` (catalogue keys; unknown ones are generic). */
export function Notice({
  viewer,
  params,
}: {
  viewer: Viewer;
  params: Record<string, string | string[] | undefined>;
}) {
  const { t, locale } = viewer;
  const notice = typeof params.notice === "string" ? params.notice : null;
  const error = typeof params.error === "string" ? params.error : null;
  if (error) {
    const key = hasWebMessage(locale, `errors.${error}`) ? `errors.${error}` : "errors.invalid";
    return (
      <p className="notice notice-error" role="alert" data-testid="notice-error">
        {t(key)}
      </p>
    );
  }
  if (notice) {
    const key = hasWebMessage(locale, `notices.${notice}`) ? `notices.${notice}` : "notices.saved";
    return (
      <p className="notice notice-success" role="status" data-testid="notice">
        {t(key)}
      </p>
    );
  }
  return null;
}
