import { z } from "zod";
import { autoReplyRuleSchema, storedSignalsSchema } from "@/lib/db/auto-replies";
import type { JobSpec } from "@/lib/db/job-spec";
import { call, type Db } from "@/lib/db/port";
import { messageSchema, organizationSchema, recipientSchema } from "@/lib/db/schemas";
import { alertSendJob } from "@/lib/jobs/alert-send";
import { defineJob, jobSpec } from "@/lib/jobs/define";
import type { Logger } from "@/lib/log";
import type { AlertRequest, Consumer, RoutingContext } from "@/lib/pipeline/consumer";
import { CONSUMERS } from "@/lib/pipeline/consumers";

const contextSchema = z.object({
  message: messageSchema,
  organization: organizationSchema,
  recipients: z.array(recipientSchema),
  crm: z
    .object({
      connectionId: z.string(),
      provider: z.string(),
      logMinPriority: z.enum(["critical", "important"]),
      sender: z.enum(["contact", "key_client", "domain"]).nullable().catch(null),
    })
    .nullable()
    .default(null),
  autoReply: z
    .object({ timezone: z.string(), signals: storedSignalsSchema, rules: z.array(autoReplyRuleSchema) })
    .nullable()
    .default(null),
});

// Built once, not per call: zod compiles an object schema on its first parse.
const nullableContextSchema = contextSchema.nullable();
const appliedSchema = z.object({ alerts: z.number(), jobs: z.number() });

const readContext = (db: Db, messageId: string) =>
  call(db, "message_routing_context", { p_message_id: messageId }, nullableContextSchema);

const apply = (db: Db, messageId: string, alerts: AlertRequest[], jobs: JobSpec[]) =>
  call(
    db,
    "route_apply",
    {
      p_alerts: alerts.map((a) => {
        const id = crypto.randomUUID();
        return { ...a, id, messageId, job: jobSpec(alertSendJob, { alertId: id }) };
      }),
      p_jobs: jobs,
    },
    appliedSchema,
  );

/** Each consumer's plan; one that throws is reported and does not stop the others. */
function planAll(consumers: readonly Consumer[], ctx: RoutingContext, log: Logger) {
  const alerts: AlertRequest[] = [];
  const jobs: JobSpec[] = [];
  const failed: string[] = [];
  for (const consumer of consumers) {
    try {
      const plan = consumer.plan(ctx);
      alerts.push(...(plan.alerts ?? []));
      jobs.push(...(plan.jobs ?? []));
    } catch (error) {
      failed.push(consumer.name);
      log.error("route.consumer_failed", { consumer: consumer.name, error });
    }
  }
  return { alerts, jobs, failed };
}

/**
 * message.analyzed — the one event analysis ends in (enqueued by message_save_analysis in the
 * analysis's transaction). The router reads what was stored, asks every registered consumer what
 * it wants, and queues it all at once. Everything it queues is keyed, so a rerun (after a crash,
 * or a consumer that failed) queues nothing twice.
 */
export const messageAnalyzedJob = defineJob({
  kind: "message.analyzed",
  payload: z.object({ messageId: z.string() }),
  key: (p) => `analyzed:${p.messageId}`,
  maxAttempts: 8,
  leaseSeconds: 30,
  run: async ({ messageId }, { db, log, now }) => {
    const stored = await readContext(db, messageId);
    if (stored?.message.status !== "analyzed") return;
    const { alerts, jobs, failed } = planAll(CONSUMERS, { ...stored, now: now() }, log);
    const queued = alerts.length + jobs.length > 0 ? await apply(db, messageId, alerts, jobs) : null;
    log.info("route.done", { messageId, alerts: queued?.alerts ?? 0, jobs: queued?.jobs ?? 0 });
    if (failed.length > 0) throw new Error(`consumers failed: ${failed.join(", ")}`);
  },
});
