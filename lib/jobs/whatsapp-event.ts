import { z } from "zod";
import { reopenAlert } from "@/lib/db/alert-send";
import { applyStatus } from "@/lib/db/alerts";
import { getRecipient } from "@/lib/db/recipients";
import type { JobContext, JobHandler } from "@/lib/jobs/drain";
import { flagUndeliverable } from "@/lib/jobs/undeliverable";
import { type StatusPayload, whatsAppEventPayloadSchema } from "@/lib/jobs/whatsapp-event-payload";
import { handleInbound } from "@/lib/jobs/whatsapp-inbound";
import {
  errorFromStatus,
  RateLimitError,
  UndeliverableError,
  WindowClosedError,
} from "@/lib/whatsapp/errors";

/**
 * A status webhook: recorded once and never backwards (alert_apply_status). A failure Meta reports
 * after accepting the message is acted on like the same error at send time: 131047 → resend as the
 * template, a rate limit → resend later, 131026 → the number is flagged and the owner told.
 */
async function handleStatus({ db, log, now }: JobContext, event: StatusPayload): Promise<void> {
  // biz_opaque_callback_data is ours only when it is one of our ids; another app may share the WABA.
  const alertId = z.uuid().safeParse(event.alertId).success ? event.alertId : null;
  const result = await applyStatus(db, {
    waMessageId: event.wamid,
    alertId,
    status: event.status,
    at: event.at,
    errorCode: event.error?.code ?? null,
    errorMessage: event.error ? (event.error.details ?? event.error.message ?? event.error.title) : null,
  });
  if (!result.applied || !result.alertId || event.status !== "failed" || !event.error) return;
  const error = errorFromStatus(event.error);
  log.warn("whatsapp.status_failed", { alertId: result.alertId, code: event.error.code });
  if (error instanceof WindowClosedError) {
    await reopenAlert(db, { alertId: result.alertId, forceTemplate: true });
  } else if (error instanceof RateLimitError) {
    await reopenAlert(db, {
      alertId: result.alertId,
      forceTemplate: false,
      runAt: new Date(now().getTime() + error.retryAfterMs),
    });
  } else if (error instanceof UndeliverableError && result.recipientId) {
    const recipient = await getRecipient(db, result.recipientId);
    if (recipient) await flagUndeliverable(db, recipient.phone, now());
  }
}

/** The `whatsapp.event` job: one webhook event, persisted by the route before it answered Meta. */
export const whatsAppEventJob: JobHandler = async (job, ctx) => {
  const event = whatsAppEventPayloadSchema.parse(job.payload);
  if (event.kind === "status") return handleStatus(ctx, event);
  return handleInbound({ db: ctx.db, log: ctx.log, now: ctx.now() }, event);
};
