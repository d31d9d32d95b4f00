import { z } from "zod";
import type { SendOutcome } from "@/lib/channels/channel";
import { consentKey } from "@/lib/channels/email/render-consent";
import { channelOf, type Transports, transportOf } from "@/lib/channels/registry";
import { transportsFromEnv } from "@/lib/config/channels";
import { getSendContext, type SendContext } from "@/lib/db/alert-send";
import { beginSend, recordFailure, recordSent, recordUnknown, setAlertStatus } from "@/lib/db/alerts";
import { renderForSend } from "@/lib/jobs/alert-render";
import { defineJob, handlerOf, type JobContext, type JobHandler } from "@/lib/jobs/define";
import { type Deferral, PermanentFailure, RetryLater } from "@/lib/jobs/outcome";
import type { Job } from "@/lib/jobs/queue";
import { flagUndeliverable } from "@/lib/jobs/undeliverable";
import { holdUntil, skipReason } from "@/lib/pipeline/routing";

export type AlertSendOptions = Partial<Transports> & {
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
  const isConsentRequest = ctx.alert.kind === "notice" && ctx.send.dedupeKey === consentKey(ctx.recipient.id);
  // The consent request was just asked for by the manager: quiet hours do not hold it.
  return { kind: ctx.alert.kind, isReply: isReply(ctx) || isConsentRequest, isConsentRequest };
}

/** Quiet hours apply to a send not yet started (a crashed send resumes at once). */
function holdFor(ctx: SendContext, now: Date): Date | null {
  if (!["pending", "held"].includes(ctx.alert.status)) return null;
  return holdUntil(routing(ctx), ctx.recipient, ctx.message, now);
}

/**
 * What a channel's outcome does to the alert and the job, the same for every channel. Only an
 * unknown outcome may have reached the recipient: it waits for a status instead of resending.
 */
async function onOutcome(
  outcome: Exclude<SendOutcome, { outcome: "sent" }>,
  ctx: SendContext,
  job: Job,
  jobCtx: JobContext,
  waitSeconds: number,
): Promise<Deferral | undefined> {
  const { db } = jobCtx;
  const alertId = ctx.alert.id;
  if (outcome.outcome === "unknown") {
    await recordUnknown(db, alertId, outcome.reason);
    return {
      deferUntil: new Date(jobCtx.now().getTime() + waitSeconds * 1000),
      note: "outcome unknown: waiting for a status webhook",
    };
  }
  const fail = (final: boolean) =>
    recordFailure(db, { alertId, code: outcome.code, error: outcome.reason, final });
  switch (outcome.outcome) {
    case "retry-after":
      await fail(outcome.afterMs === null && job.attempts >= job.maxAttempts);
      if (outcome.afterMs === null) throw new Error(outcome.reason);
      throw new RetryLater(Math.ceil(outcome.afterMs / 1000), outcome.reason);
    case "undeliverable":
      await fail(true);
      await flagUndeliverable(db, ctx.recipient, jobCtx.now());
      return undefined;
    case "window-closed":
      // A reply outside the window has no template to fall back on: nothing more can be done.
      await fail(true);
      return undefined;
    case "permanent":
      await fail(true);
      throw new PermanentFailure(outcome.reason);
  }
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
  const channel = channelOf(recipient.channel);
  if (!channel) throw new PermanentFailure(`no channel "${recipient.channel}" for alert ${alert.id}`);
  const rendered = renderForSend(ctx, now);
  const transport = transportOf(opts.transports, channel.name);
  // A send cut by a crash waits (for a status webhook, or the wait itself) only when it may have
  // reached the provider: the outbox is written in this database, so a send that did not record it
  // never happened.
  const begin = await beginSend(db, alert.id, transport ? opts.waitSeconds : 0);
  if (begin.action === "done") return undefined;
  if (begin.action === "wait") {
    return {
      deferUntil: new Date(begin.until ?? now),
      note: "outcome unknown: waiting for a status webhook",
    };
  }
  if (!transport) {
    await recordSent(db, {
      alertId: alert.id,
      providerMessageId: `outbox:${alert.id}`,
      delivery: "outbox",
      rendered,
    });
    log.info("alert.outbox", { alertId: alert.id, kind: alert.kind, channel: channel.name });
    return undefined;
  }
  const outcome = await channel.send(transport, {
    to: recipient.address,
    alertId: alert.id,
    locale: recipient.locale,
    rendered,
    window: channel.window(recipient.lastInboundAt, now),
    forceTemplate: ctx.send.forceTemplate,
    timeoutMs: opts.timeoutMs,
  });
  if (outcome.outcome === "sent") {
    await recordSent(db, {
      alertId: alert.id,
      providerMessageId: outcome.providerMessageId,
      delivery: outcome.delivery,
      rendered,
    });
    log.info("alert.sent", { alertId: alert.id, kind: alert.kind, delivery: outcome.delivery });
    return undefined;
  }
  log.warn("alert.send_failed", {
    alertId: alert.id,
    channel: channel.name,
    outcome: outcome.outcome,
    code: "code" in outcome ? outcome.code : null,
  });
  return onOutcome(outcome, ctx, job, jobCtx, opts.waitSeconds);
}

type ResolvedOptions = { transports: Transports; timeoutMs?: number; waitSeconds: number };

function resolve(options: AlertSendOptions): ResolvedOptions {
  const fromEnv = transportsFromEnv();
  return {
    transports: {
      whatsapp: options.whatsapp === undefined ? fromEnv.whatsapp : options.whatsapp,
      email: options.email === undefined ? fromEnv.email : options.email,
    },
    timeoutMs: options.timeoutMs,
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
 * quiet hours), then one send through the state machine of alert_begin_send, on the recipient's
 * channel (lib/channels/registry.ts) or into the local outbox when that channel has no transport.
 */
export const alertSendJob = defineJob({
  kind: "alert.send",
  payload: z.object({ alertId: z.uuid() }),
  key: (p) => `alert:${p.alertId}`,
  maxAttempts: 8,
  leaseSeconds: 30,
  urgent: true,
  run: ({ alertId }, ctx) => run(alertId, ctx.job, ctx, resolve({})),
});

/** The same job with its transports chosen by the caller (tests, the bench): a provider or the outbox. */
export function alertSendHandler(options: AlertSendOptions = {}): JobHandler {
  const opts = resolve(options);
  return handlerOf({ ...alertSendJob, run: ({ alertId }, ctx) => run(alertId, ctx.job, ctx, opts) });
}
