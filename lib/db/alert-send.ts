import { z } from "zod";
import { alertContextSchema } from "@/lib/db/alerts";
import type { JobSpec } from "@/lib/db/job-spec";
import { call, type Db } from "@/lib/db/port";
import { alertSchema } from "@/lib/db/schemas";

/**
 * What an alert row carries in `rendered` when it is queued with its own text (digests, notices,
 * replies) and once it is sent (every kind): the body and buttons the web app shows, and the
 * approved template with its parameters for a recipient outside the 24 h window (null for replies,
 * which always answer a message the recipient just sent).
 */
export const renderedMessageSchema = z.object({
  body: z.string().min(1),
  buttons: z.array(z.object({ id: z.string(), title: z.string() })),
  template: z.object({ kind: z.enum(["alert", "digest", "notice"]), params: z.array(z.string()) }).nullable(),
});
export type RenderedMessage = z.infer<typeof renderedMessageSchema>;

export const sendContextSchema = alertContextSchema.extend({
  send: z.object({
    organizationId: z.string(),
    dedupeKey: z.string().nullable(),
    forceTemplate: z.boolean(),
    rendered: renderedMessageSchema.nullable(),
    escalatedFrom: z.string().nullable(),
  }),
});
export type SendContext = z.infer<typeof sendContextSchema>;

/** The alert with its recipient, message and mailbox, plus what only the send step needs. */
export const getSendContext = (db: Db, alertId: string) =>
  call(db, "alert_send_context", { p_alert_id: alertId }, sendContextSchema.nullable());

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
