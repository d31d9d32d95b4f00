import { z } from "zod";
import { renderedMessageSchema } from "@/lib/channels/rendered";
import { alertContextSchema } from "@/lib/db/alerts";
import type { JobSpec } from "@/lib/db/job-spec";
import { call, type Db, nullableIsoDate } from "@/lib/db/port";
import { alertSchema } from "@/lib/db/schemas";

export const sendContextSchema = alertContextSchema.extend({
  send: z.object({
    organizationId: z.string(),
    dedupeKey: z.string().nullable(),
    forceTemplate: z.boolean(),
    rendered: renderedMessageSchema.nullable(),
    escalatedFrom: z.string().nullable(),
    /** When the original alert was sent to the one who left it unread. */
    escalatedSince: nullableIsoDate,
  }),
  /** Set when the sender is a key client of the organization's CRM (messages.signals, from the CRM at analysis). */
  crm: z.object({ keyClientDealXof: z.coerce.number() }).nullish(),
});
export type SendContext = z.infer<typeof sendContextSchema>;

const nullableSendContextSchema = sendContextSchema.nullable();

/** The alert with its recipient, message and mailbox, plus what only the send step needs. */
export const getSendContext = (db: Db, alertId: string) =>
  call(db, "alert_send_context", { p_alert_id: alertId }, nullableSendContextSchema);

/** Re-opens a send that Meta failed after accepting it, and re-arms its send job (p.job). */
export const reopenAlert = (
  db: Db,
  p: { alertId: string; forceTemplate: boolean; job: JobSpec; runAt?: Date | null; maxAttempts?: number },
) =>
  call(
    db,
    "alert_reopen",
    {
      p_alert_id: p.alertId,
      p_force_template: p.forceTemplate,
      p_job: p.job,
      p_run_at: p.runAt ?? null,
      p_max_attempts: p.maxAttempts ?? 5,
    },
    z.object({ reopened: z.boolean(), alert: alertSchema.optional() }),
  );
