import type { Viewer } from "@/app/_lib/viewer";
import type { Recipient } from "@/lib/db/schemas";

export function RecipientStatus({ viewer, status }: { viewer: Viewer; status: Recipient["status"] }) {
  return (
    <span className={`badge recipient-${status}`} data-testid="recipient-status" data-status={status}>
      {viewer.t(`recipients.status.${status}`)}
    </span>
  );
}
