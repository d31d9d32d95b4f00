import type { AutoReplyRule, StoredSignals } from "@/lib/db/auto-replies";
import type { JobSpec } from "@/lib/db/job-spec";
import type { Message, Organization, Recipient } from "@/lib/db/schemas";
import type { AlertKind } from "@/lib/pipeline/routing";

/** The organization's live CRM connection, and what the analysis found the sender to be in it. */
export type CrmRouting = {
  connectionId: string;
  provider: string;
  logMinPriority: "critical" | "important";
  sender: "contact" | "key_client" | "domain" | null;
};

/** The organization's enabled automatic-reply rules (null: none), with the email's stored signals. */
export type AutoReplyRouting = { timezone: string; signals: StoredSignals; rules: AutoReplyRule[] };

/** What every consumer of an analysed email decides from: the message as stored, its organization and recipients. */
export type RoutingContext = {
  message: Message;
  organization: Organization;
  recipients: Recipient[];
  crm: CrmRouting | null;
  autoReply: AutoReplyRouting | null;
  now: Date;
};

/** An alert to queue: a row per (message, recipient, kind), sent by its own alert.send job. */
export type AlertRequest = { recipientId: string; kind: AlertKind };

/** What one consumer wants done. Every job it asks for carries its own idempotency key. */
export type ConsumerPlan = { alerts?: AlertRequest[]; jobs?: JobSpec[] };

/**
 * Something that runs after analysis: delivery today, CRM logging and automatic replies later.
 * `plan` only decides (it reads nothing and sends nothing): the work itself is the jobs it returns,
 * so a failing consumer never delays another, and adding one needs no migration.
 */
export type Consumer = {
  readonly name: string;
  plan(ctx: RoutingContext): ConsumerPlan;
};
