import { z } from "zod";
import type { JobSpec } from "@/lib/db/job-spec";
import { call, type Db, isoDate } from "@/lib/db/port";
import { replyDraftSchema, replyTemplateSchema } from "@/lib/db/replies";
import { messageSchema } from "@/lib/db/schemas";

/** Automatic-reply rules and their claim (supabase/migrations/20261204100900_replies.sql). */

/** When a rule answers: always, outside its working hours, or while the owner's quiet hours are on. */
export const AUTO_REPLY_HOURS = ["always", "outside_work", "quiet_hours"] as const;

export const autoReplyRuleSchema = z.object({
  id: z.string(),
  templateId: z.string(),
  enabled: z.boolean(),
  senderPattern: z.string().nullable(),
  vipOnly: z.boolean(),
  category: z.string().nullable(),
  minPriority: z.enum(["critical", "important", "informational"]),
  hours: z.enum(AUTO_REPLY_HOURS),
  workStartMinute: z.number(),
  workEndMinute: z.number(),
  createdAt: isoDate,
});
export type AutoReplyRule = z.infer<typeof autoReplyRuleSchema>;

/** A new rule (templateId required), or an edit of one (id, and only the fields that change). */
export type RuleInput =
  | (Partial<Omit<AutoReplyRule, "id" | "createdAt">> & { templateId: string; id?: undefined })
  | (Partial<Omit<AutoReplyRule, "id" | "createdAt">> & { id: string });

export const saveAutoReplyRule = (db: Db, organizationId: string, actor: string, rule: RuleInput) =>
  call(
    db,
    "auto_reply_rule_save",
    { p_organization_id: organizationId, p_actor: actor, p_rule: rule },
    autoReplyRuleSchema,
  );

export const deleteAutoReplyRule = (db: Db, organizationId: string, ruleId: string, actor: string) =>
  call(
    db,
    "auto_reply_rule_delete",
    { p_organization_id: organizationId, p_rule_id: ruleId, p_actor: actor },
    z.object({ deleted: z.boolean() }),
  );

export const autoReplyOverviewSchema = z.object({
  intervalDays: z.number(),
  dailyCap: z.number(),
  rules: z.array(autoReplyRuleSchema),
  sentToday: z.array(z.object({ mailboxId: z.string(), count: z.number() })),
});

/** Settings: the rules, the limits no rule lifts, and each mailbox's automatic replies of the last 24 h. */
export const getAutoReplyOverview = (db: Db, organizationId: string) =>
  call(db, "auto_reply_overview", { p_organization_id: organizationId }, autoReplyOverviewSchema);

/** The stored signal summary, as far as the safeguards read it (lib/analysis/signal-summary.ts). */
export const storedSignalsSchema = z
  .object({
    relationship: z.enum(["internal", "thread", "known", "first_contact"]).catch("first_contact"),
    authentication: z.enum(["pass", "fail", "none"]).catch("none"),
    impersonation: z.boolean().catch(false),
    automated: z.boolean().catch(false),
    bulk: z.array(z.string()).catch([]),
    rule: z.string().nullable().catch(null),
    fraud: z.string().nullable().catch(null),
  })
  .nullable()
  .catch(null);
export type StoredSignals = z.infer<typeof storedSignalsSchema>;

const contextSchema = z.object({
  message: messageSchema,
  signals: storedSignalsSchema,
  mailbox: z.object({
    id: z.string(),
    provider: z.enum(["gmail", "outlook", "sandbox"]),
    address: z.string(),
    status: z.string(),
  }),
  rule: autoReplyRuleSchema,
  template: replyTemplateSchema,
  timezone: z.string(),
  ownAddresses: z.array(z.string()),
});

/** Null when the rule was disabled or deleted, or its template is no longer approved. */
export const getAutoReplyContext = (db: Db, messageId: string, ruleId: string) =>
  call(db, "auto_reply_context", { p_message_id: messageId, p_rule_id: ruleId }, contextSchema.nullable());

export const claimAutoReply = (
  db: Db,
  p: {
    draft: {
      id: string;
      messageId: string;
      ruleId: string;
      templateId: string;
      bodySealed: string;
      bodySha256: string;
      toAddress: string;
      toName: string | null;
    };
    job: JobSpec;
    now: Date;
  },
) =>
  call(
    db,
    "auto_reply_claim",
    { p_draft: p.draft, p_job: p.job, p_now: p.now },
    z.object({
      outcome: z.enum(["queued", "duplicate", "recent", "cap", "gone"]),
      draft: replyDraftSchema.optional(),
    }),
  );

export const noteAutoAction = (db: Db, messageId: string, action: string) =>
  call(db, "auto_reply_note", { p_message_id: messageId, p_action: action }, z.unknown());
