import { z } from "zod";
import { type Analysis, prioritySchema as priorityEnum } from "@/lib/analysis/schema";
import { type SignalSummary, signalSummarySchema } from "@/lib/analysis/signal-summary";
import type { StoredAttachment } from "@/lib/attachments/stored";
import type { JobSpec } from "@/lib/db/job-spec";
import { mailboxSyncStateSchema } from "@/lib/db/mailbox-sync-state";
import { call, type Db, isoDate } from "@/lib/db/port";
import {
  alertSchema,
  mailboxSchema,
  messageSchema,
  organizationSchema,
  type Priority,
  senderRuleSchema,
  tokenRowSchema,
} from "@/lib/db/schemas";

export const messageContextSchema = z.object({
  message: messageSchema,
  mailbox: mailboxSchema,
  organization: organizationSchema,
  senderRules: z.array(senderRuleSchema),
  /** The mailbox's encrypted tokens, so the job opens the mailbox without a second read. */
  tokens: tokenRowSchema.nullable(),
  /** The mailbox's stored provider label ids by lower-cased name (table mailbox_labels). */
  labels: z.record(z.string(), z.string()),
  /** The mailbox's rate-limit state over `windowSeconds`, so the quota gate reads nothing more. */
  syncState: mailboxSyncStateSchema,
});

// Built once, not per call: zod compiles an object schema on its first parse.
const nullableMessageContextSchema = messageContextSchema.nullable();
const savedAnalysisSchema = z.object({ message: messageSchema, alreadyAnalyzed: z.boolean() });
const okSchema = z.object({ ok: z.boolean() });

export const getMessageContext = (db: Db, messageId: string, windowSeconds: number) =>
  call(
    db,
    "message_context",
    { p_message_id: messageId, p_window_seconds: windowSeconds },
    nullableMessageContextSchema,
  );

export type MessageMeta = {
  threadId: string | null;
  internetMessageId: string | null;
  fromAddress: string;
  fromName: string | null;
  subject: string;
  receivedAt: string;
  webLink: string | null;
};

/**
 * Stores the analysis (never the body), its signals and attachment findings and the auto-actions
 * decided, and enqueues `next` (the message.analyzed job) in the same transaction.
 */
export const saveAnalysis = (
  db: Db,
  messageId: string,
  p: {
    meta: MessageMeta;
    analysis: Analysis;
    usage: unknown;
    autoActions?: string[];
    signals?: SignalSummary;
    attachments?: StoredAttachment[];
    next: JobSpec;
  },
) =>
  call(
    db,
    "message_save_analysis",
    {
      p_message_id: messageId,
      p_meta: p.meta,
      p_analysis: p.analysis,
      p_usage: p.usage,
      p_next_job: p.next,
      p_auto_actions: p.autoActions ?? null,
      p_signals: p.signals ?? null,
      p_attachments: p.attachments ?? null,
    },
    savedAnalysisSchema,
  );

/**
 * The message's housekeeping is over: `replace` (its pending or failed entries) gives way to `done`,
 * and the label ids the provider handed back or said are gone are stored for every worker.
 */
export const saveHousekeeping = (
  db: Db,
  messageId: string,
  p: { done: string[]; replace: string[]; labels: Record<string, string> | null; forget: string[] | null },
) =>
  call(
    db,
    "message_housekeeping_done",
    {
      p_message_id: messageId,
      p_done: p.done,
      p_replace: p.replace,
      p_labels: p.labels,
      p_forget: p.forget,
    },
    okSchema,
  );

export const markMessageSkipped = (db: Db, messageId: string, reason: string) =>
  call(db, "message_mark_skipped", { p_message_id: messageId, p_reason: reason }, z.unknown());

export const listedMessageSchema = messageSchema.extend({
  sortKey: isoDate,
  alerts: z.array(alertSchema.omit({ rendered: true })),
});
export type ListedMessage = z.infer<typeof listedMessageSchema>;

export type MessageFilters = {
  priority?: Priority | null;
  status?: "open" | "handled" | "pending" | "failed" | null;
  from?: Date | null;
  to?: Date | null;
  query?: string | null;
  limit?: number;
  before?: { receivedAt: Date; id: string } | null;
};

/** Always scoped to one organization: the caller passes the session's, never a client-sent one. */
export const listMessages = (db: Db, organizationId: string, f: MessageFilters = {}) =>
  call(
    db,
    "message_list",
    {
      p_organization_id: organizationId,
      p_priority: f.priority ?? null,
      p_status: f.status ?? null,
      p_from: f.from ?? null,
      p_to: f.to ?? null,
      p_query: f.query?.trim() || null,
      p_limit: f.limit ?? 25,
      p_before_received: f.before?.receivedAt ?? null,
      p_before_id: f.before?.id ?? null,
    },
    z.array(listedMessageSchema),
  );

export const messageDetailSchema = messageSchema.extend({
  mailbox: z.object({ provider: z.string(), address: z.string() }),
  alerts: z.array(alertSchema),
});
export type MessageDetail = z.infer<typeof messageDetailSchema>;

/** Null when the message does not exist or belongs to another organization (answer 404 either way). */
export const getMessage = (db: Db, organizationId: string, messageId: string) =>
  call(
    db,
    "message_get",
    { p_organization_id: organizationId, p_message_id: messageId },
    messageDetailSchema.nullable(),
  );

export const markHandled = (db: Db, organizationId: string, messageId: string, actor: string) =>
  call(
    db,
    "message_mark_handled",
    { p_organization_id: organizationId, p_message_id: messageId, p_actor: actor },
    messageSchema,
  );

/** Who handled an email first and when (null while it is open); `name` is null for an unknown actor. */
export const getHandler = (db: Db, organizationId: string, messageId: string) =>
  call(
    db,
    "message_handler",
    { p_organization_id: organizationId, p_message_id: messageId },
    z
      .object({
        handledAt: isoDate,
        actor: z.string().nullable(),
        name: z.string().nullable(),
        timezone: z.string(),
      })
      .nullable(),
  );

/** none: this email only; sender / domain: also a rule that sets the priority of future emails. */
export type FeedbackScope = "none" | "sender" | "domain";

export const giveFeedback = (
  db: Db,
  p: {
    organizationId: string;
    messageId: string;
    priority: Priority;
    scope: FeedbackScope;
    /** The sender's domain is free mail: a domain-wide rule is refused. */
    freeMail: boolean;
    actor: string;
  },
) =>
  call(
    db,
    "message_feedback",
    {
      p_organization_id: p.organizationId,
      p_message_id: p.messageId,
      p_priority: p.priority,
      p_scope: p.scope,
      p_actor: p.actor,
      p_free_mail: p.freeMail,
    },
    messageSchema.extend({ rulePattern: z.string().nullable(), mailboxId: z.string() }),
  );

/** Per-attachment findings or skip reasons, never text (lib/attachments/stored.ts). */
export const setMessageAttachments = (db: Db, messageId: string, attachments: StoredAttachment[]) =>
  call(
    db,
    "message_set_attachments",
    { p_message_id: messageId, p_attachments: attachments },
    z.object({ ok: z.boolean() }),
  );

export const getMessageSignals = (db: Db, organizationId: string, messageId: string) =>
  call(
    db,
    "message_signals",
    { p_organization_id: organizationId, p_message_id: messageId },
    z
      .object({
        // Stored by an earlier version, or before analysis: shown as unknown rather than refused.
        signals: signalSummarySchema.nullable().catch(null),
        analyzedPriority: priorityEnum.nullable(),
        feedbackPriority: priorityEnum.nullable(),
      })
      .nullable(),
  );

export const listCorrections = (db: Db, organizationId: string) =>
  call(
    db,
    "message_corrections",
    { p_organization_id: organizationId },
    z.array(
      z.object({
        id: z.string(),
        from: z.string(),
        fromName: z.string().nullable(),
        subject: z.string(),
        date: z.string(),
        signals: signalSummarySchema,
        predicted: priorityEnum,
        analyzer: z.string().nullable(),
        label: priorityEnum,
      }),
    ),
  );

/**
 * Ends a pending message `failed` with a reason code (the web catalogue's `failure.<code>`) and,
 * where they could be read, its sender, subject and date; a message analysed or skipped meanwhile
 * is left alone (null).
 */
export const markMessageFailed = (db: Db, messageId: string, reason: string, meta: MessageMeta | null) =>
  call(
    db,
    "message_mark_failed",
    { p_message_id: messageId, p_reason: reason, p_meta: meta },
    z.object({ failed: z.boolean() }).nullable(),
  );

/**
 * Ends `failed` (with `reason`) the pending messages whose analysis job of `kind` is dead: a job
 * whose process died on its final attempt leaves nothing else to fail them
 * (supabase/migrations/20261204100500_messages_and_analysis.sql).
 */
export const failAbandonedMessages = (db: Db, kind: string, reason: string) =>
  call(db, "message_fail_abandoned", { p_kind: kind, p_reason: reason }, z.object({ failed: z.number() }));

/** Failed messages recorded since `since`: one organization's, or every organization's (health). */
export const failedMessageCount = (db: Db, since: Date, organizationId: string | null = null) =>
  call(
    db,
    "message_failed_count",
    { p_since: since, p_organization_id: organizationId },
    z.object({ failed: z.number() }),
  );
