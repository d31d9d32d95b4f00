import { alertSendJob } from "@/lib/jobs/alert-send";
import { crmLogJob } from "@/lib/jobs/crm-log";
import { crmSyncJob } from "@/lib/jobs/crm-sync";
import { handlerOf, type JobDefinition } from "@/lib/jobs/define";
import { digestSendJob } from "@/lib/jobs/digest-send";
import type { JobRegistry } from "@/lib/jobs/drain";
import { mailboxRenewJob } from "@/lib/jobs/mailbox-renew";
import { mailboxSyncJob } from "@/lib/jobs/mailbox-sync";
import { messageAnalyzeJob } from "@/lib/jobs/message-analyze";
import { messageHousekeepingJob } from "@/lib/jobs/message-housekeeping";
import { relationshipSyncJob } from "@/lib/jobs/relationship-sync";
import { replyAutoJob } from "@/lib/jobs/reply-auto";
import { replySendJob } from "@/lib/jobs/reply-send";
import { whatsAppEventJob } from "@/lib/jobs/whatsapp-event";
import { messageAnalyzedJob } from "@/lib/pipeline/route";

/**
 * Every job kind the pipeline knows, each declared once with defineJob. A kind missing here makes
 * its jobs dead, visibly (tests/job-kinds.test.ts checks that the database produces no other).
 */
export const JOB_DEFINITIONS = [
  mailboxSyncJob,
  mailboxRenewJob,
  messageAnalyzeJob,
  relationshipSyncJob,
  messageAnalyzedJob,
  alertSendJob,
  messageHousekeepingJob,
  whatsAppEventJob,
  digestSendJob,
  crmSyncJob,
  crmLogJob,
  replySendJob,
  replyAutoJob,
] as const satisfies readonly JobDefinition[];

/** What the drain runs: one handler per declared kind. */
export function jobRegistry(): JobRegistry {
  return Object.fromEntries(JOB_DEFINITIONS.map((def) => [def.kind, handlerOf(def as JobDefinition)]));
}
