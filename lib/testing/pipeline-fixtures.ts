import { randomUUID } from "node:crypto";
import type { Analysis, Category, Localized } from "@/lib/analysis/schema";
import { whatsAppConfig } from "@/lib/channels/whatsapp/config";
import { parseWebhook } from "@/lib/channels/whatsapp/transform";
import { signIn } from "@/lib/db/accounts";
import { getSendContext } from "@/lib/db/alert-send";
import { connectMailbox } from "@/lib/db/mailboxes";
import { getMessage, saveAnalysis } from "@/lib/db/messages";
import { issueOptInCode, verifyTypedOptInCode } from "@/lib/db/opt-in-codes";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Db } from "@/lib/db/port";
import { getRecipient, type RecipientInput, touchInbound, upsertRecipient } from "@/lib/db/recipients";
import type { Alert, Priority, Recipient } from "@/lib/db/schemas";
import { type AlertSendOptions, alertSendHandler } from "@/lib/jobs/alert-send";
import { jobSpec } from "@/lib/jobs/define";
import { type DrainOptions, drainJobs, type JobRegistry } from "@/lib/jobs/drain";
import { enqueueJob, getJob } from "@/lib/jobs/queue";
import { recordMessages } from "@/lib/jobs/record-messages";
import { jobRegistry } from "@/lib/jobs/registry";
import { whatsAppEventJob } from "@/lib/jobs/whatsapp-event";
import { toEventPayload } from "@/lib/jobs/whatsapp-event-payload";
import { messageAnalyzedJob } from "@/lib/pipeline/route";
import { hashOptInCode } from "@/lib/security/keyed-hash";
import { FAKE_PHONE_NUMBER_ID } from "@/lib/testing/meta-fake";

/** Builders for WhatsApp pipeline tests: accounts, opted-in recipients, analysed messages, draining. */

export const PIPELINE_KINDS = ["message.analyzed", "alert.send", "whatsapp.event", "digest.send"];

/** The Cloud API as the meta fake serves it. */
export const testWhatsApp = whatsAppConfig({
  accessToken: "EAAtest",
  phoneNumberId: FAKE_PHONE_NUMBER_ID,
  businessAccountId: null,
  appSecret: "test-app-secret",
  verifyToken: "test-verify-token",
});

export function pipelineRegistry(options: AlertSendOptions = { whatsapp: null }): JobRegistry {
  return {
    ...jobRegistry(),
    "alert.send": alertSendHandler(options),
  };
}

/** Runs the WhatsApp jobs that are due (never the mail pipeline's, which these tests do not fake). */
export function drainPipeline(db: Db, registry: JobRegistry = pipelineRegistry(), opts: DrainOptions = {}) {
  return drainJobs(db, registry, { kinds: PIPELINE_KINDS, budgetMs: 20_000, ...opts });
}

/** Makes every pending WhatsApp job due now (backoffs, deferrals, reminders). */
export async function makePipelineDue(db: PGliteDb) {
  await db.pg.query(
    "update jobs set run_at = now() - interval '1 second' where status = 'pending' and kind = any($1)",
    [PIPELINE_KINDS],
  );
}

export type Account = { organizationId: string; userId: string; mailboxId: string };

let counter = 0;

export async function createAccount(db: Db): Promise<Account> {
  const n = ++counter;
  const user = await signIn(db, {
    provider: "local",
    subject: randomUUID(),
    email: `boss${n}@entreprise.ci`,
    name: "Awa Koné",
  });
  const mailbox = await connectMailbox(db, {
    organizationId: user.organizationId,
    userId: user.userId,
    provider: "sandbox",
    address: `direction${n}-${randomUUID().slice(0, 6)}@entreprise.ci`,
  });
  return { organizationId: user.organizationId, userId: user.userId, mailboxId: mailbox.id };
}

/** A recipient, opted in by the app-typed code unless `optIn: false`; `inboundAt` opens its 24 h window. */
export async function addRecipient(
  db: Db,
  organizationId: string,
  input: RecipientInput & { name: string; phone: string; optIn?: boolean; inboundAt?: Date },
): Promise<Recipient> {
  const { optIn, inboundAt, ...fields } = input;
  const recipient = await upsertRecipient(db, organizationId, "user:test", fields);
  if (optIn !== false) {
    const codeHash = hashOptInCode("246810");
    const code = { organizationId, recipientId: recipient.id, codeHash };
    await issueOptInCode(db, { ...code, kind: "template", expiresAt: new Date(Date.now() + 600_000) });
    await verifyTypedOptInCode(db, code);
  }
  if (inboundAt) await touchInbound(db, { phone: recipient.phone, userId: null }, inboundAt);
  return (await getRecipient(db, recipient.id))!;
}

export type MessageInput = {
  priority: Priority;
  subject?: string;
  fromAddress?: string;
  fromName?: string | null;
  category?: Category;
  /** Both languages, or one text for both. */
  summary?: string | Localized;
  /** A whole analysis (e.g. the real analyzer's), replacing the defaults above. */
  analysis?: Analysis;
};

/** An email recorded and analysed, then routed (message.analyzed ran): its alerts are queued. */
export async function addAnalyzedMessage(db: Db, account: Account, input: MessageInput) {
  const providerId = `msg-${randomUUID()}`;
  await recordMessages(db, account.mailboxId, [providerId]);
  const job = await getJob(db, `analyze:${account.mailboxId}:${providerId}`);
  const messageId = String(job?.payload.messageId);
  await saveAnalysis(db, messageId, {
    meta: {
      threadId: null,
      internetMessageId: null,
      fromAddress: input.fromAddress ?? "client.important@banque.ci",
      fromName: input.fromName ?? null,
      subject: input.subject ?? "Nouveau contrat de 15M FCFA",
      receivedAt: new Date().toISOString(),
      webLink: null,
    },
    analysis: input.analysis ?? {
      priority: input.priority,
      category: input.category ?? "contract",
      summary:
        typeof input.summary === "string"
          ? { fr: input.summary, en: input.summary }
          : (input.summary ?? {
              fr: "Le client demande la signature du contrat avant 17 h.",
              en: "The client asks for the contract to be signed before 5 pm.",
            }),
      suggestedAction: { kind: "call", phrase: { fr: "Appeler ou signer", en: "Call or sign" } },
      deadline: null,
      amounts: [{ value: 15_000_000, currency: "XOF" }],
      fraudWarning: null,
      confidence: 0.9,
      reasons: [{ key: "reason.keywords", params: { groups: { keys: ["group.contract"] } } }],
      analyzer: "gemini",
    },
    usage: { model: "gemini-test", inputTokens: 100, outputTokens: 20, latencyMs: 5 },
    next: jobSpec(messageAnalyzedJob, { messageId }),
  });
  await drainJobs(db, jobRegistry(), { kinds: [messageAnalyzedJob.kind] });
  const detail = await getMessage(db, account.organizationId, messageId);
  return { messageId, alerts: detail?.alerts ?? [] };
}

/** The alert of one recipient for a message (kind "alert" unless told). */
export async function alertFor(
  db: Db,
  account: Account,
  messageId: string,
  recipientId: string,
  kind = "alert",
) {
  const detail = await getMessage(db, account.organizationId, messageId);
  const alert = detail?.alerts.find((a) => a.recipientId === recipientId && a.kind === kind);
  if (!alert) throw new Error(`no ${kind} alert for recipient ${recipientId}`);
  return (await getSendContext(db, alert.id))!.alert;
}

/** What Meta would post, persisted as the webhook route does, then the pipeline drained. */
export async function receiveWebhook(db: Db, payload: unknown, registry: JobRegistry = pipelineRegistry()) {
  const events = parseWebhook(payload)?.events ?? [];
  for (const e of events) await enqueueJob(db, jobSpec(whatsAppEventJob, toEventPayload(e)));
  await drainPipeline(db, registry);
  return events;
}

/** The reply alert queued for an inbound message, if any. */
export async function replyTo(db: PGliteDb, wamid: string): Promise<Alert | null> {
  const rows = await db.pg.query<{ id: string }>("select id from alerts where dedupe_key = $1", [
    `reply:${wamid}`,
  ]);
  const id = rows.rows[0]?.id;
  return id ? ((await getSendContext(db, id))?.alert ?? null) : null;
}
