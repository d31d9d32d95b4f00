import { z } from "zod";
import { localizedSchema } from "@/lib/analysis/schema";
import { crmProviderSchema } from "@/lib/crm/types";
import { call, type Db, isoDate, nullableIsoDate } from "@/lib/db/port";
import { priorityEnum } from "@/lib/db/schemas";

export const syncCursorSchema = z.object({
  phase: z.enum(["owners", "contacts", "deals"]),
  after: z.string().nullable(),
  generation: z.number().int(),
});
export type SyncCursor = z.infer<typeof syncCursorSchema>;

export const crmConnectionSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  provider: crmProviderSchema,
  status: z.enum(["active", "reconnect_required", "disconnected"]),
  accountId: z.string().nullable(),
  accountLabel: z.string().nullable(),
  webBase: z.string().nullable(),
  tokenExpiresAt: nullableIsoDate,
  syncState: z.enum(["pending", "syncing", "current", "failed"]),
  syncCursor: syncCursorSchema.nullable(),
  syncGeneration: z.number(),
  lastSyncedAt: nullableIsoDate,
  lastError: z.string().nullable(),
  lastErrorAt: nullableIsoDate,
  contactsCount: z.number(),
  dealsCount: z.number(),
  createdAt: isoDate,
});

export const crmTokenRowSchema = z.object({
  ciphertext: z.string(),
  version: z.number(),
  status: z.string(),
});

const connectionWithTokens = crmConnectionSchema.extend({ tokens: crmTokenRowSchema.nullable() });
export type CrmConnectionWithTokens = z.infer<typeof connectionWithTokens>;

export const connectCrm = (
  db: Db,
  p: {
    organizationId: string;
    provider: z.infer<typeof crmProviderSchema>;
    accountId: string | null;
    accountLabel: string | null;
    webBase: string | null;
    ciphertext: string | null;
    expiresAt: Date | null;
    actorUserId: string | null;
  },
) =>
  call(
    db,
    "crm_connect",
    {
      p_organization_id: p.organizationId,
      p_provider: p.provider,
      p_account_id: p.accountId,
      p_account_label: p.accountLabel,
      p_web_base: p.webBase,
      p_ciphertext: p.ciphertext,
      p_expires_at: p.expiresAt,
      p_actor: p.actorUserId,
    },
    crmConnectionSchema,
  );

export const disconnectCrm = (db: Db, organizationId: string, connectionId: string, actor: string) =>
  call(
    db,
    "crm_disconnect",
    { p_organization_id: organizationId, p_connection_id: connectionId, p_actor: actor },
    crmConnectionSchema,
  );

export const getCrmConnection = (db: Db, connectionId: string) =>
  call(db, "crm_connection_get", { p_connection_id: connectionId }, connectionWithTokens.nullable());

export const crmStatusSchema = z.object({
  keyClientXof: z.coerce.number(),
  logMinPriority: z.enum(["critical", "important"]),
  connection: crmConnectionSchema.nullable(),
  logged: z.number(),
});
export type CrmStatus = z.infer<typeof crmStatusSchema>;

export const getCrmStatus = (db: Db, organizationId: string) =>
  call(db, "crm_status", { p_organization_id: organizationId }, crmStatusSchema);

export const saveCrmSettings = (
  db: Db,
  p: {
    organizationId: string;
    keyClientXof: number;
    logMinPriority: "critical" | "important";
    actor: string;
  },
) =>
  call(
    db,
    "crm_save_settings",
    {
      p_organization_id: p.organizationId,
      p_key_client_xof: p.keyClientXof,
      p_log_min_priority: p.logMinPriority,
      p_actor: p.actor,
    },
    crmStatusSchema,
  );

export const storeCrmTokens = (
  db: Db,
  p: { connectionId: string; ciphertext: string; expiresAt: Date; expectedVersion: number },
) =>
  call(
    db,
    "crm_token_store",
    {
      p_connection_id: p.connectionId,
      p_ciphertext: p.ciphertext,
      p_expires_at: p.expiresAt,
      p_expected_version: p.expectedVersion,
    },
    z.object({ stored: z.boolean(), version: z.number().nullable() }),
  );

export const requireCrmReconnect = (db: Db, connectionId: string, error: string) =>
  call(
    db,
    "crm_require_reconnect",
    { p_connection_id: connectionId, p_error: error },
    z.object({ changed: z.boolean() }),
  );

export type SyncContact = {
  remoteId: string;
  ownerId: string | null;
  lifecycle: string | null;
  companyId: string | null;
  companyName: string | null;
  keys: { kind: "address" | "domain"; hash: string }[];
};
export type SyncDeal = {
  remoteId: string;
  name: string | null;
  amount: number | null;
  currency: string | null;
  amountXof: number | null;
  stage: string | null;
  closeDate: string | null;
  ownerId: string | null;
  companyId: string | null;
  contactIds: string[];
};

export const saveSyncPage = (
  db: Db,
  p: {
    connectionId: string;
    generation: number;
    cursor: SyncCursor;
    contacts?: SyncContact[];
    deals?: SyncDeal[];
    owners?: { remoteId: string; name: string }[];
  },
) =>
  call(
    db,
    "crm_sync_page",
    {
      p_connection_id: p.connectionId,
      p_generation: p.generation,
      p_cursor: p.cursor,
      p_contacts: p.contacts ?? [],
      p_deals: p.deals ?? [],
      p_owners: p.owners ?? [],
    },
    z.object({ ok: z.boolean() }),
  );

export const beginSyncPass = (db: Db, connectionId: string) =>
  call(db, "crm_sync_begin", { p_connection_id: connectionId }, syncCursorSchema.nullable());

export const finishSyncPass = (db: Db, connectionId: string, generation: number) =>
  call(
    db,
    "crm_sync_finish",
    { p_connection_id: connectionId, p_generation: generation },
    z.object({ finished: z.boolean(), contacts: z.number().nullable(), deals: z.number().nullable() }),
  );

export const recordSyncError = (db: Db, connectionId: string, error: string) =>
  call(db, "crm_sync_error", { p_connection_id: connectionId, p_error: error }, z.unknown());

export const crmCardSchema = z.object({
  connectionId: z.string(),
  provider: crmProviderSchema,
  webBase: z.string().nullable(),
  contactId: z.string(),
  companyId: z.string().nullable(),
  companyName: z.string().nullable(),
  lifecycle: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  deal: z
    .object({
      id: z.string(),
      name: z.string().nullable(),
      amount: z.coerce.number().nullable(),
      currency: z.string().nullable(),
      amountXof: z.coerce.number().nullable(),
      stage: z.string().nullable(),
      closeDate: z.string().nullable(),
      ownerId: z.string().nullable(),
    })
    .nullable(),
  keyClientXof: z.coerce.number(),
});
export type CrmCard = z.infer<typeof crmCardSchema>;

/** The CRM contact behind an address hash, with its largest open deal; null when it is none. */
export const crmContactCard = (db: Db, organizationId: string, addressHash: string) =>
  call(
    db,
    "crm_contact_card",
    { p_organization_id: organizationId, p_address_hash: addressHash },
    crmCardSchema.nullable(),
  );

const loggedSchema = z.object({ remoteId: z.string().nullable(), attemptedAt: z.string() });

export const crmLogContextSchema = z.object({
  message: z.object({
    id: z.string(),
    organizationId: z.string(),
    status: z.string(),
    fromAddress: z.string().nullable(),
    fromName: z.string().nullable(),
    subject: z.string().nullable(),
    receivedAt: nullableIsoDate,
    webLink: z.string().nullable(),
    priority: priorityEnum.nullable(),
    // In both languages since issue 15: the note is written in the organization's.
    summary: localizedSchema.nullable(),
    suggestedAction: z.string().nullable(),
    suggestedActionPhrase: localizedSchema.nullable(),
    deadline: nullableIsoDate,
  }),
  locale: z.enum(["fr", "en"]),
  timezone: z.string(),
  connection: connectionWithTokens,
  logged: z.object({ note: loggedSchema.optional(), task: loggedSchema.optional() }),
});

export const getCrmLogContext = (db: Db, messageId: string, connectionId: string) =>
  call(
    db,
    "crm_log_context",
    { p_message_id: messageId, p_connection_id: connectionId },
    crmLogContextSchema.nullable(),
  );

export const beginCrmLog = (db: Db, messageId: string, connectionId: string, kind: "note" | "task") =>
  call(
    db,
    "crm_log_begin",
    { p_message_id: messageId, p_connection_id: connectionId, p_kind: kind },
    z.object({ remoteId: z.string().nullable() }),
  );

export const finishCrmLog = (
  db: Db,
  p: { messageId: string; connectionId: string; kind: "note" | "task"; remoteId: string },
) =>
  call(
    db,
    "crm_log_done",
    { p_message_id: p.messageId, p_connection_id: p.connectionId, p_kind: p.kind, p_remote_id: p.remoteId },
    z.object({ ok: z.boolean() }).nullable(),
  );

export const crmMessageLogs = (db: Db, organizationId: string, messageId: string) =>
  call(
    db,
    "crm_message_logs",
    { p_organization_id: organizationId, p_message_id: messageId },
    z.array(
      z.object({
        kind: z.enum(["note", "task"]),
        remoteId: z.string(),
        loggedAt: nullableIsoDate,
        provider: crmProviderSchema,
        webBase: z.string().nullable(),
      }),
    ),
  );
