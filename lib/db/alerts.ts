import { z } from "zod";
import type { Delivery } from "@/lib/channels/channel";
import type { JobSpec } from "@/lib/db/job-spec";
import { call, type Db } from "@/lib/db/port";
import { alertSchema, messageSchema, recipientSchema } from "@/lib/db/schemas";

export const alertContextSchema = z.object({
  alert: alertSchema,
  recipient: recipientSchema,
  message: messageSchema.nullable(),
  mailbox: z.object({ id: z.string(), provider: z.string(), address: z.string() }).nullable(),
});

// Built once, not per call: zod compiles an object schema on its first parse.
const queuedSchema = z.object({ created: z.boolean(), alert: alertSchema.optional() });
const beginSendSchema = z.object({
  action: z.enum(["send", "done", "wait"]),
  reason: z.string().optional(),
  until: z.string().optional(),
  attempt: z.number().optional(),
});
const okSchema = z.object({ ok: z.boolean() });

export type AlertKind = "alert" | "escalation" | "reminder" | "digest" | "notice";

/** Inserts an alert with the id given and its send job (p.job), in one transaction; a repeat is a no-op. */
export const queueAlertRow = (
  db: Db,
  p: {
    id: string;
    recipientId: string;
    kind: AlertKind;
    job: JobSpec;
    messageId?: string | null;
    dedupeKey?: string | null;
    runAt?: Date | null;
    rendered?: { body: string; buttons: { id: string; title: string }[] } | null;
  },
) =>
  call(
    db,
    "alert_queue",
    {
      p_alert_id: p.id,
      p_recipient_id: p.recipientId,
      p_kind: p.kind,
      p_job: p.job,
      p_message_id: p.messageId ?? null,
      p_dedupe_key: p.dedupeKey ?? null,
      p_run_at: p.runAt ?? null,
      p_rendered: p.rendered ?? null,
    },
    queuedSchema,
  );

export const beginSend = (db: Db, alertId: string, waitSeconds = 600) =>
  call(db, "alert_begin_send", { p_alert_id: alertId, p_wait_seconds: waitSeconds }, beginSendSchema);

export const recordSent = (
  db: Db,
  p: {
    alertId: string;
    providerMessageId: string;
    delivery: Delivery;
    rendered: unknown;
  },
) =>
  call(
    db,
    "alert_record_sent",
    {
      p_alert_id: p.alertId,
      p_provider_message_id: p.providerMessageId,
      p_delivery: p.delivery,
      p_rendered: p.rendered,
    },
    okSchema,
  );

export const recordUnknown = (db: Db, alertId: string, error: string) =>
  call(db, "alert_record_unknown", { p_alert_id: alertId, p_error: error }, z.unknown());

export const recordFailure = (
  db: Db,
  p: { alertId: string; code: number | null; error: string; final: boolean },
) =>
  call(
    db,
    "alert_record_failure",
    { p_alert_id: p.alertId, p_code: p.code, p_error: p.error, p_final: p.final },
    z.unknown(),
  );

export const setAlertStatus = (
  db: Db,
  alertId: string,
  status: "held" | "skipped" | "pending",
  holdUntil?: Date | null,
) =>
  call(
    db,
    "alert_set_status",
    { p_alert_id: alertId, p_status: status, p_hold_until: holdUntil ?? null },
    z.unknown(),
  );

export const applyStatus = (
  db: Db,
  p: {
    providerMessageId: string;
    alertId: string | null;
    status: string;
    at: Date;
    errorCode?: number | null;
    errorMessage?: string | null;
  },
) =>
  call(
    db,
    "alert_apply_status",
    {
      p_provider_message_id: p.providerMessageId,
      p_alert_id: p.alertId,
      p_status: p.status,
      p_at: p.at,
      p_error_code: p.errorCode ?? null,
      p_error_message: p.errorMessage ?? null,
    },
    z.object({
      applied: z.boolean(),
      reason: z.string().optional(),
      alertId: z.string().optional(),
      status: z.string().optional(),
      organizationId: z.string().optional(),
      recipientId: z.string().optional(),
    }),
  );

export const listOutbox = (db: Db, organizationId: string, limit = 50) =>
  call(db, "alert_outbox", { p_organization_id: organizationId, p_limit: limit }, z.array(alertSchema));

/** Unread critical alerts past their delay, paired with each escalation target still to tell. */
export const escalationsDue = (db: Db) =>
  call(
    db,
    "alert_escalations_due",
    {},
    z.array(z.object({ messageId: z.string(), recipientId: z.string() })),
  );

/** Recipients whose digest hour has come today (their local date) and whose digest is not queued yet. */
export const digestsDue = (db: Db) =>
  call(db, "digest_due", {}, z.array(z.object({ recipientId: z.string(), date: z.iso.date() })));

export const markDigestQueued = (db: Db, recipientId: string, date: string) =>
  call(db, "digest_mark_queued", { p_recipient_id: recipientId, p_date: date }, z.unknown());

export const collectDigest = (db: Db, recipientId: string, since: Date) =>
  call(
    db,
    "digest_collect",
    { p_recipient_id: recipientId, p_since: since },
    z
      .object({
        counts: z.object({
          critical: z.number(),
          important: z.number(),
          informational: z.number(),
          spam: z.number(),
        }),
        items: z.array(
          z.object({ priority: z.string(), subject: z.string().nullable(), from: z.string().nullable() }),
        ),
        awaitingSignature: z.number().int().nonnegative().default(0),
      })
      .nullable(),
  );
