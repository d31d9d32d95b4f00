import { dateTime } from "@/app/_lib/describe";
import type { Viewer } from "@/app/_lib/viewer";

/** « ✓ Traité par Awa Koné · 1 déc. 10:42 » on the email page; without the name when it is unknown. */
export function HandledBadge({
  viewer,
  handledAt,
  name,
}: {
  viewer: Viewer;
  handledAt: Date;
  name: string | null;
}) {
  const { t } = viewer;
  return (
    <span className="badge badge-handled" data-testid="handled-badge">
      ✓ {name ? t("dashboard.handledBy", { name }) : t("dashboard.handled")} · {dateTime(viewer, handledAt)}
    </span>
  );
}
