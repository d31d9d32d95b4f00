import { autoReplyConsumer } from "@/lib/pipeline/auto-reply-consumer";
import type { Consumer } from "@/lib/pipeline/consumer";
import { crmLogConsumer } from "@/lib/pipeline/crm-consumer";
import { deliveryConsumer } from "@/lib/pipeline/delivery-consumer";
import { housekeepingConsumer } from "@/lib/pipeline/housekeeping-consumer";

/**
 * Everything that runs after an email is analysed, in order. A new consumer (CRM logging, an
 * automatic reply) is one entry here and the job kinds it enqueues, declared with defineJob.
 * Housekeeping (label, mark read, archive) is planned after delivery: the alerts come first.
 */
export const CONSUMERS: readonly Consumer[] = [
  deliveryConsumer,
  crmLogConsumer,
  autoReplyConsumer,
  housekeepingConsumer,
];
