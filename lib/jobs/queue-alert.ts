import { type AlertKind, queueAlertRow } from "@/lib/db/alerts";
import type { Db } from "@/lib/db/port";
import { alertSendJob } from "@/lib/jobs/alert-send";
import { jobSpec } from "@/lib/jobs/define";

/**
 * Queues an alert of any kind with its `alert.send` job, in one transaction. The unique
 * (message, recipient, kind) or the dedupe key makes a repeat a no-op (`created: false`).
 */
export function queueAlert(
  db: Db,
  p: {
    recipientId: string;
    kind: AlertKind;
    messageId?: string | null;
    dedupeKey?: string | null;
    runAt?: Date | null;
    rendered?: { body: string; buttons: { id: string; title: string }[] } | null;
  },
) {
  const id = crypto.randomUUID();
  return queueAlertRow(db, { ...p, id, job: jobSpec(alertSendJob, { alertId: id }) });
}
