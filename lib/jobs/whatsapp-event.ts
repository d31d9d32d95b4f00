import { z } from "zod";
import {
  errorFromStatus,
  RateLimitError,
  UndeliverableError,
  WindowClosedError,
} from "@/lib/channels/whatsapp/errors";
import { reopenAlert } from "@/lib/db/alert-send";
import { applyStatus } from "@/lib/db/alerts";
import { getRecipient, learnUserId } from "@/lib/db/recipients";
import { alertSendJob } from "@/lib/jobs/alert-send";
import { defineJob, type JobContext, jobSpec } from "@/lib/jobs/define";
import { flagUndeliverable } from "@/lib/jobs/undeliverable";
import {
  type InboundPayload,
  type StatusPayload,
  whatsAppEventPayloadSchema,
} from "@/lib/jobs/whatsapp-event-payload";
import { handleInbound } from "@/lib/jobs/whatsapp-inbound";

/** The alert's send job, re-opened although it finished (the send Meta failed after accepting it). */
const resend = (alertId: string) => jobSpec(alertSendJob, { alertId }, { reopen: true });

/**
 * A status webhook: recorded once and never backwards (alert_apply_status). A failure Meta reports
 * after accepting the message is acted on like the same error at send time: 131047 → resend as the
 * template, a rate limit → resend later, 131026 → the number is flagged and the owner told.
 */
async function handleStatus({ db, log, now }: JobContext, event: StatusPayload): Promise<void> {
  // biz_opaque_callback_data is ours only when it is one of our ids; another app may share the WABA.
  const alertId = z.uuid().safeParse(event.alertId).success ? event.alertId : null;
  const result = await applyStatus(db, {
    providerMessageId: event.wamid,
    alertId,
    status: event.status,
    at: event.at,
    errorCode: event.error?.code ?? null,
    errorMessage: event.error ? (event.error.details ?? event.error.message ?? event.error.title) : null,
  });
  // Meta names both the number we sent to and its user id: remember the pair, so a later message
  // from that user without the number still finds its recipient.
  if (event.recipient && event.recipientUserId) await learnUserId(db, event.recipient, event.recipientUserId);
  if (!result.applied || !result.alertId || event.status !== "failed" || !event.error) return;
  const error = errorFromStatus(event.error);
  log.warn("whatsapp.status_failed", { alertId: result.alertId, code: event.error.code });
  if (error instanceof WindowClosedError) {
    await reopenAlert(db, { alertId: result.alertId, forceTemplate: true, job: resend(result.alertId) });
  } else if (error instanceof RateLimitError) {
    await reopenAlert(db, {
      alertId: result.alertId,
      forceTemplate: false,
      job: resend(result.alertId),
      runAt: new Date(now().getTime() + error.retryAfterMs),
    });
  } else if (error instanceof UndeliverableError && result.recipientId) {
    const recipient = await getRecipient(db, result.recipientId);
    if (recipient) await flagUndeliverable(db, recipient, now());
  }
}

/**
 * whatsapp.event — one webhook event, persisted by the route before it answered Meta, keyed so
 * Meta's redeliveries collapse into it: a status by message, status and time (the same status
 * twice is one job), an inbound message by its wamid.
 */
export const whatsAppEventJob = defineJob({
  kind: "whatsapp.event",
  payload: whatsAppEventPayloadSchema,
  key: (event) =>
    event.kind === "status"
      ? `wa:${event.wamid}:${event.status}:${Math.floor(event.at.getTime() / 1000)}`
      : `wa-in:${event.wamid}`,
  maxAttempts: 10,
  leaseSeconds: 30,
  run: async (event, ctx) => {
    if (event.kind === "status") return handleStatus(ctx, event as StatusPayload);
    return handleInbound({ db: ctx.db, log: ctx.log, now: ctx.now() }, event as InboundPayload);
  },
});
