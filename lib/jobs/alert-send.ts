import { z } from "zod";
import type { WhatsAppConfig } from "@/lib/channels/whatsapp/config";
import { deliver } from "@/lib/channels/whatsapp/deliver";
import {
  OutcomeUnknownError,
  RateLimitError,
  TransientError,
  UndeliverableError,
  UnexpectedResponseError,
  WhatsAppError,
  WindowClosedError,
} from "@/lib/channels/whatsapp/errors";
import { chooseDelivery } from "@/lib/channels/whatsapp/window";
import { whatsAppFromEnv } from "@/lib/config/channels";
import { getSendContext, type SendContext } from "@/lib/db/alert-send";
import { beginSend, recordFailure, recordSent, recordUnknown, setAlertStatus } from "@/lib/db/alerts";
import { renderForSend } from "@/lib/jobs/alert-render";
import { defineJob, handlerOf, type JobContext, type JobHandler } from "@/lib/jobs/define";
import { type Deferral, PermanentFailure, RetryLater } from "@/lib/jobs/outcome";
import type { Job } from "@/lib/jobs/queue";
import { flagUndeliverable } from "@/lib/jobs/undeliverable";
import { holdUntil, skipReason } from "@/lib/pipeline/routing";

export type AlertSendOptions = {
  /** The Cloud API; null = the local outbox. Defaults to the environment's. */
  whatsapp?: WhatsAppConfig | null;
  /** Per request; past it the outcome is unknown. */
  timeoutMs?: number;
  /** How long an unknown outcome waits for a status webhook before the alert is sent again. */
  waitSeconds?: number;
};

const FINAL = new Set(["sent", "delivered", "read", "failed", "skipped"]);

/** A reply to what the recipient sent (`reply:<inbound wamid>`): STOP's confirmation included. */
function isReply(ctx: SendContext): boolean {
  return ctx.alert.kind === "notice" && (ctx.send.dedupeKey?.startsWith("reply:") ?? false);
}

function routing(ctx: SendContext) {
  return { kind: ctx.alert.kind, isReply: isReply(ctx) };
}

/** Quiet hours apply to a send not yet started (a crashed send resumes at once). */
function holdFor(ctx: SendContext, now: Date): Date | null {
  if (!["pending", "held"].includes(ctx.alert.status)) return null;
  return holdUntil(routing(ctx), ctx.recipient, ctx.message, now);
}

/**
 * Maps a failed send to the alert's state and the job's outcome. Only an unknown outcome (timeout,
 * a 2xx we cannot read) may have reached the phone: it waits for a status webhook instead of resending.
 */
async function onSendError(
  error: unknown,
  ctx: SendContext,
  job: Job,
  jobCtx: JobContext,
  waitSeconds: number,
): Promise<Deferral | undefined> {
  const { db } = jobCtx;
  const alertId = ctx.alert.id;
  if (error instanceof OutcomeUnknownError || error instanceof UnexpectedResponseError) {
    await recordUnknown(db, alertId, error.message);
    return {
      deferUntil: new Date(jobCtx.now().getTime() + waitSeconds * 1000),
      note: "outcome unknown: waiting for a status webhook",
    };
  }
  if (!(error instanceof WhatsAppError)) throw error;
  const fail = (final: boolean) =>
    recordFailure(db, { alertId, code: error.code, error: error.message, final });
  if (error instanceof RateLimitError) {
    await fail(false);
    throw new RetryLater(Math.ceil(error.retryAfterMs / 1000), error.message);
  }
  if (error instanceof TransientError) {
    await fail(job.attempts >= job.maxAttempts);
    throw error;
  }
  await fail(true);
  if (error instanceof UndeliverableError) {
    await flagUndeliverable(db, ctx.recipient.phone, jobCtx.now());
    return undefined;
  }
  // A reply outside the window has no template to fall back on: nothing more can be done.
  if (error instanceof WindowClosedError) return undefined;
  // Template or token configuration, or a request Meta refuses: an operator must act.
  throw new PermanentFailure(error.message);
}

async function send(
  ctx: SendContext,
  job: Job,
  jobCtx: JobContext,
  opts: ResolvedOptions,
): Promise<Deferral | undefined> {
  const { db, log } = jobCtx;
  const { alert, recipient } = ctx;
  const now = jobCtx.now();
  const rendered = renderForSend(ctx, now);
  // A send cut by a crash waits for a status webhook only when it may have reached Meta: the
  // outbox is written in this database, so a send that did not record it never happened.
  const begin = await beginSend(db, alert.id, opts.whatsapp ? opts.waitSeconds : 0);
  if (begin.action === "done") return undefined;
  if (begin.action === "wait") {
    return {
      deferUntil: new Date(begin.until ?? now),
      note: "outcome unknown: waiting for a status webhook",
    };
  }
  if (!opts.whatsapp) {
    await recordSent(db, {
      alertId: alert.id,
      waMessageId: `outbox:${alert.id}`,
      delivery: "outbox",
      rendered,
    });
    log.info("alert.outbox", { alertId: alert.id, kind: alert.kind });
    return undefined;
  }
  const useTemplate = ctx.send.forceTemplate || chooseDelivery(recipient.lastInboundAt, now) === "template";
  try {
    const sent = await deliver(opts.whatsapp, {
      to: recipient.phone,
      alertId: alert.id,
      locale: recipient.locale,
      rendered,
      useTemplate,
      timeoutMs: opts.timeoutMs,
    });
    await recordSent(db, { alertId: alert.id, waMessageId: sent.wamid, delivery: sent.delivery, rendered });
    log.info("alert.sent", { alertId: alert.id, kind: alert.kind, delivery: sent.delivery });
    return undefined;
  } catch (error) {
    log.warn("alert.send_failed", {
      alertId: alert.id,
      error: (error as Error).name,
      code: (error as WhatsAppError).code,
    });
    return onSendError(error, ctx, job, jobCtx, opts.waitSeconds);
  }
}

type ResolvedOptions = Required<Pick<AlertSendOptions, "waitSeconds">> & AlertSendOptions;

function resolve(options: AlertSendOptions): ResolvedOptions {
  return {
    ...options,
    whatsapp: options.whatsapp === undefined ? whatsAppFromEnv() : options.whatsapp,
    waitSeconds: options.waitSeconds ?? 600,
  };
}

async function run(alertId: string, job: Job, jobCtx: JobContext, opts: ResolvedOptions) {
  const ctx = await getSendContext(jobCtx.db, alertId);
  if (!ctx || FINAL.has(ctx.alert.status)) return;
  const skip = skipReason(routing(ctx), ctx.recipient, ctx.message);
  if (skip) {
    await setAlertStatus(jobCtx.db, alertId, "skipped");
    jobCtx.log.info("alert.skipped", { alertId, reason: skip });
    return;
  }
  const hold = holdFor(ctx, jobCtx.now());
  if (hold) {
    await setAlertStatus(jobCtx.db, alertId, "held", hold);
    return { deferUntil: hold, note: "quiet hours" };
  }
  return send(ctx, job, jobCtx, opts);
}

/**
 * alert.send ({alertId}, key `alert:<alert>` — the alert row itself is unique per message,
 * recipient and kind): the send-time routing checks (lib/pipeline/routing.ts: opt-in, handled,
 * quiet hours), then one send through the
 * state machine of alert_begin_send, over the Cloud API or into the local outbox.
 */
export const alertSendJob = defineJob({
  kind: "alert.send",
  payload: z.object({ alertId: z.uuid() }),
  key: (p) => `alert:${p.alertId}`,
  maxAttempts: 8,
  leaseSeconds: 30,
  run: ({ alertId }, ctx) => run(alertId, ctx.job, ctx, resolve({})),
});

/** The same job with its transport chosen by the caller (tests, the bench): the Cloud API or the outbox. */
export function alertSendHandler(options: AlertSendOptions = {}): JobHandler {
  const opts = resolve(options);
  return handlerOf({ ...alertSendJob, run: ({ alertId }, ctx) => run(alertId, ctx.job, ctx, opts) });
}
