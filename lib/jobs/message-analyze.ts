import { z } from "zod";
import { analyzeMessage } from "@/lib/analysis/analyze";
import { analysisConfigFrom } from "@/lib/analysis/config";
import type { Analysis } from "@/lib/analysis/schema";
import { storedRule } from "@/lib/analysis/sender-rules";
import { toStored } from "@/lib/attachments/stored";
import { getMessageContext, markMessageFailed, markMessageSkipped, saveAnalysis } from "@/lib/db/messages";
import type { Organization } from "@/lib/db/schemas";
import { env } from "@/lib/env";
import { translator } from "@/lib/i18n/catalogue";
import {
  type AnalyzeStage,
  deterministicFailure,
  type FailureCode,
  failedMeta,
} from "@/lib/jobs/analysis-failure";
import { defineJob, jobSpec, type RunContext } from "@/lib/jobs/define";
import { withMailbox } from "@/lib/jobs/mailbox-access";
import { mailboxReadiness, reconnectWait } from "@/lib/jobs/mailbox-readiness";
import { attachmentReader } from "@/lib/jobs/message-attachments";
import { PermanentFailure } from "@/lib/jobs/outcome";
import { relationshipFacts } from "@/lib/jobs/relationship-hasher";
import { pendingEntry } from "@/lib/mail/auto-action-entry";
import { GMAIL_QUOTA_WINDOW_SECONDS } from "@/lib/mail/gmail/quota";
import type { AutoAction } from "@/lib/mail/provider";
import type { NormalizedMessage } from "@/lib/mail/types";
import { messageAnalyzedJob } from "@/lib/pipeline/route";

/** Who hosts each provider's mailboxes (Outlook.com and Microsoft 365 are both Exchange Online). */
const MAILBOX_HOST = { gmail: "google", outlook: "microsoft", sandbox: "other" } as const;

/** The mailbox and provider id make the key, as they make the message row unique. */
const payloadSchema = z.object({
  messageId: z.string(),
  mailboxId: z.string(),
  providerMessageId: z.string(),
});
/** How long a new mailbox's analyses may wait for its Sent folder to be read. */
const STORE_HOLD_MS = 20 * 60_000;
const STORE_RECHECK_MS = 60_000;

/**
 * The actions the organization allowed, for this priority. This list is built from settings only:
 * nothing the model writes can add an action to it.
 */
export function allowedActions(
  org: Organization,
  { priority, category }: Pick<Analysis, "priority" | "category">,
): AutoAction[] {
  const actions: AutoAction[] = [];
  if (org.autoLabel) {
    const label = translator(org.locale, "whatsapp")(`priority.${priority}`);
    actions.push({ kind: "label", name: `FluxAsync/${label}` });
  }
  if (priority === "spam" && org.autoMarkSpamRead) actions.push({ kind: "mark_read" });
  if (priority === "spam" && org.autoArchiveSpam) actions.push({ kind: "archive" });
  // « Promotions » (lib/analysis/promotions.ts) stay in the inbox unless the organization asks.
  if (priority !== "spam" && category === "promotion" && org.autoArchivePromotions)
    actions.push({ kind: "archive" });
  return actions;
}

/**
 * message.analyze — fetches the message from its provider (the body lives only in this function's
 * memory), analyses it (reading its attachments on demand when the pre-filter does not decide: bytes
 * and text in memory only, what was found per attachment stored for display), then stores the
 * analysis, with the allowed auto-actions as pending, and enqueues message.analyzed (routing,
 * lib/pipeline) in one transaction. The auto-actions run after the alerts, in message.housekeeping.
 * A rerun after a crash finds the analysis stored and stops.
 */
export const messageAnalyzeJob = defineJob({
  kind: "message.analyze",
  payload: payloadSchema,
  key: (p) => `analyze:${p.mailboxId}:${p.providerMessageId}`,
  maxAttempts: 8,
  // The analysis is CPU work between provider calls: heartbeated like every job.
  leaseSeconds: 60,
  run: async ({ messageId }, { db, log, now, job, owed }) => {
    const ctx = await getMessageContext(db, messageId, GMAIL_QUOTA_WINDOW_SECONDS);
    if (ctx?.message.status !== "pending") return;
    const readiness = await mailboxReadiness(db, ctx.mailbox, now(), ctx.syncState);
    if (readiness.kind === "disconnected") return;
    if (readiness.kind === "wait") return readiness.deferral;

    // What the failure path needs: how far the run got, and the email if it was read.
    const progress: { stage: AnalyzeStage; msg: NormalizedMessage | null } = { stage: "open", msg: null };
    const finished = await withMailbox(
      db,
      ctx.mailbox,
      log,
      async (session) => {
        const { provider, access } = session;
        progress.stage = "fetch";
        const msg = await provider.fetchMessage(access, ctx.message.providerMessageId);
        progress.msg = msg;
        if (!msg) {
          await markMessageSkipped(db, messageId, "deleted before it could be read");
          return true;
        }
        if (msg.fromSelf) {
          await markMessageSkipped(db, messageId, "sent by the mailbox owner");
          return true;
        }
        const known = await relationshipFacts(db, ctx.mailbox, msg);
        // A mailbox connected minutes ago is still reading its Sent folder: judging its first emails
        // now would take every correspondent for a stranger. They wait (relationship.sync releases
        // them when it is done), never longer than the hold.
        const young = now().getTime() - ctx.mailbox.createdAt.getTime() < STORE_HOLD_MS;
        if (young && (known.storeState === "pending" || known.storeState === "backfilling")) return "hold";
        progress.stage = "analyze";
        const { analysis, usage, signals, attachments } = await analyzeMessage(
          msg,
          {
            locale: ctx.organization.locale,
            timeZone: ctx.organization.timezone,
            senderRules: ctx.senderRules.map(storedRule).filter((r) => r !== null),
            mailboxAddress: ctx.mailbox.address,
            mailboxHost: MAILBOX_HOST[ctx.mailbox.provider],
            organizationName: ctx.organization.name,
            relationship: known.facts,
          },
          analysisConfigFrom(env),
          {
            now,
            attachments: attachmentReader(session, msg, {
              timeZone: ctx.organization.timezone,
              now,
              log,
              messageId,
            }),
          },
        );

        // Applied after the alerts by message.housekeeping (queued by the router): pending until then.
        const planned = allowedActions(ctx.organization, analysis).map(pendingEntry);
        progress.stage = "save";
        const saved = await saveAnalysis(db, messageId, {
          meta: {
            threadId: msg.threadId,
            internetMessageId: msg.internetMessageId,
            fromAddress: msg.from.address,
            fromName: msg.from.name,
            subject: msg.subject,
            receivedAt: msg.date,
            webLink: msg.webLink,
          },
          analysis,
          usage,
          autoActions: planned,
          signals,
          attachments: attachments.map(toStored),
          next: jobSpec(messageAnalyzedJob, { messageId }),
        });
        log.info("analyze.done", {
          messageId,
          priority: analysis.priority,
          analyzer: analysis.analyzer,
          alreadyAnalyzed: saved.alreadyAnalyzed,
        });
        return true;
      },
      { stored: ctx.tokens, owed },
    ).catch((error: unknown) => failOrRetry(error, messageId, progress, { db, log, job }));
    if (finished === "hold")
      return {
        deferUntil: new Date(now().getTime() + STORE_RECHECK_MS),
        note: "waiting for the Sent folder to be read",
      };
    // null: access was revoked meanwhile (the mailbox is now reconnect_required); the message waits.
    return finished === null ? reconnectWait(now()) : undefined;
  },
});

/**
 * A failure the same email will meet again (lib/jobs/analysis-failure.ts), or the last attempt's:
 * the message ends `failed` with its reason and what could be read of it, never `pending` forever.
 * A deterministic failure ends the job at once (dead, visibly) instead of eight retries.
 */
async function failOrRetry(
  error: unknown,
  messageId: string,
  progress: { stage: AnalyzeStage; msg: NormalizedMessage | null },
  { db, log, job }: Pick<RunContext, "db" | "log" | "job">,
): Promise<never> {
  const code: FailureCode | null = deterministicFailure(error, progress.stage);
  if (code === null && job.attempts < job.maxAttempts) throw error;
  const reason = code ?? "retries";
  const meta = failedMeta(progress.msg);
  // What was read of the email may be what the database refused: then the reason alone.
  const marked = await markMessageFailed(db, messageId, reason, meta).catch(() =>
    markMessageFailed(db, messageId, reason, null),
  );
  log.warn("analyze.failed", {
    messageId,
    reason,
    stage: progress.stage,
    error: error instanceof Error ? error.name : typeof error,
    marked: marked?.failed ?? false,
  });
  if (code === null) throw error;
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  throw new PermanentFailure(`analysis failed (${code}, ${progress.stage}): ${what}`);
}
