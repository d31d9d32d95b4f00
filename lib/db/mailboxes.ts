import { z } from "zod";
import type { JobSpec } from "@/lib/db/job-spec";
import { mailboxSyncStateSchema } from "@/lib/db/mailbox-sync-state";
import { call, type Db } from "@/lib/db/port";
import { mailboxSchema, tokenRowSchema } from "@/lib/db/schemas";
import type { WatchState } from "@/lib/mail/provider";
import type { ProviderKind } from "@/lib/mail/types";

export function connectMailbox(
  db: Db,
  p: {
    organizationId: string;
    userId: string | null;
    provider: ProviderKind;
    address: string;
    ciphertext?: string | null;
    tokenExpiresAt?: Date | null;
  },
) {
  return call(
    db,
    "mailbox_connect",
    {
      p_organization_id: p.organizationId,
      p_user_id: p.userId,
      p_provider: p.provider,
      p_address: p.address,
      p_ciphertext: p.ciphertext ?? null,
      p_token_expires_at: p.tokenExpiresAt ?? null,
    },
    mailboxSchema,
  );
}

export const getMailbox = (db: Db, id: string) =>
  call(db, "mailbox_get", { p_mailbox_id: id }, mailboxSchema.nullable());

// Built once, not per call: zod compiles an object schema on its first parse.
const syncContextSchema = z
  .object({
    mailbox: mailboxSchema,
    tokens: tokenRowSchema.nullable(),
    syncState: mailboxSyncStateSchema,
  })
  .nullable();
const pushEnqueueSchema = z.object({ mailboxId: z.string().nullable() });
const recordedSchema = z.object({ recorded: z.number(), newIds: z.array(z.string()) });
const advancedSchema = z.object({ advanced: z.boolean() });

/** A sync's first read, one round trip: the mailbox, its encrypted tokens and its rate-limit state. */
export const getMailboxSyncContext = (db: Db, id: string, windowSeconds: number) =>
  call(db, "mailbox_sync_context", { p_mailbox_id: id, p_window_seconds: windowSeconds }, syncContextSchema);

/**
 * A push: the address's mailbox looked up and `spec` (made for `placeholder` in place of the
 * mailbox id) enqueued for it, in one call (migration 20261204500200_push_in_one_call). Null
 * mailbox: no connected mailbox has this address, and nothing was enqueued.
 */
export const enqueueForMailboxAddress = (
  db: Db,
  p: { provider: ProviderKind; address: string; spec: JobSpec; placeholder: string },
) =>
  call(
    db,
    "mailbox_push_enqueue",
    { p_provider: p.provider, p_address: p.address, p_spec: p.spec, p_placeholder: p.placeholder },
    pushEnqueueSchema,
  );

export const findMailboxByAddress = (db: Db, provider: ProviderKind, address: string) =>
  call(db, "mailbox_find_by_address", { p_provider: provider, p_address: address }, mailboxSchema.nullable());

/** The mailboxes holding any of these Graph subscription ids (at most 1,000 ids are looked at). */
export const findMailboxesBySubscriptions = (db: Db, subscriptionIds: string[]) =>
  call(db, "mailbox_find_by_subscriptions", { p_subscription_ids: subscriptionIds }, z.array(mailboxSchema));

export const listMailboxes = (db: Db, organizationId: string) =>
  call(db, "mailbox_list", { p_organization_id: organizationId }, z.array(mailboxSchema));

export const listActiveMailboxes = (db: Db, provider?: ProviderKind) =>
  call(db, "mailbox_list_active", { p_provider: provider ?? null }, z.array(mailboxSchema));

export function setWatch(
  db: Db,
  p: {
    mailboxId: string;
    watch: WatchState;
    subscriptionId?: string | null;
    clientStateHash?: string | null;
    startCursor?: string | null;
  },
) {
  const { clientState: _secret, ...stored } = p.watch;
  return call(
    db,
    "mailbox_set_watch",
    {
      p_mailbox_id: p.mailboxId,
      // The Graph clientState is a secret: only its hash is kept (client_state_hash).
      p_watch: { ...stored, clientState: null },
      p_expires_at: new Date(p.watch.expiresAt),
      p_subscription_id: p.subscriptionId ?? null,
      p_client_state_hash: p.clientStateHash ?? null,
      p_start_cursor: p.startCursor ?? null,
    },
    mailboxSchema,
  );
}

/** Each new message is recorded with the id given and its analysis job, in one transaction. */
export const recordMessages = (
  db: Db,
  mailboxId: string,
  messages: Array<{ id: string; providerMessageId: string; job: JobSpec }>,
) => call(db, "mailbox_record_messages", { p_mailbox_id: mailboxId, p_messages: messages }, recordedSchema);

/** Analyses that waited for a reconnection run now. */
export const releaseHeldAnalyses = (db: Db, mailboxId: string, kind: string) =>
  call(
    db,
    "mailbox_release_held",
    { p_mailbox_id: mailboxId, p_kind: kind },
    z.object({ released: z.number() }),
  );

export const advanceCursor = (db: Db, mailboxId: string, cursor: string, expected: string | null) =>
  call(
    db,
    "mailbox_advance_cursor",
    { p_mailbox_id: mailboxId, p_cursor: cursor, p_expected: expected },
    advancedSchema,
  );

export const requireReconnect = (db: Db, mailboxId: string, reason: string) =>
  call(
    db,
    "mailbox_require_reconnect",
    { p_mailbox_id: mailboxId, p_reason: reason },
    z.object({ changed: z.boolean() }),
  );

export const disconnectMailbox = (db: Db, organizationId: string, mailboxId: string, actor: string) =>
  call(
    db,
    "mailbox_disconnect",
    { p_organization_id: organizationId, p_mailbox_id: mailboxId, p_actor: actor },
    mailboxSchema,
  );

/** The active mailboxes the fallback poll should sync now (mailbox_poll_due: push silent, or none). */
export const listMailboxesDueForPoll = (db: Db, provider?: ProviderKind) =>
  call(db, "mailbox_poll_due", { p_provider: provider ?? null }, z.array(z.string()));
