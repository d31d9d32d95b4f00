import { z } from "zod";
import { call, type Db, nullableIsoDate } from "@/lib/db/port";
import { relationshipFactsSchema } from "@/lib/relationships/facts";
import type { HashKind } from "@/lib/relationships/hash";
import type { RelationshipQuery } from "@/lib/relationships/query";

/** One sent email as the store records it: a sentinel that makes it count once, and its entries. */
export type RecordedMail = {
  sentinelKind: Extract<HashKind, "message-id" | "sent-item">;
  sentinel: string;
  at: string;
  entries: { kind: HashKind; hash: string }[];
};

export const relationshipStateSchema = z.enum(["pending", "backfilling", "current", "failed"]);

const ciphertextSchema = z.object({ ciphertext: z.string().nullable() });

export const getRelationshipKey = (db: Db, organizationId: string) =>
  call(
    db,
    "organization_relationship_key",
    { p_organization_id: organizationId },
    ciphertextSchema.nullable(),
  );

export const setRelationshipKey = (db: Db, organizationId: string, ciphertext: string) =>
  call(
    db,
    "organization_set_relationship_key",
    { p_organization_id: organizationId, p_ciphertext: ciphertext },
    z.object({ ciphertext: z.string() }),
  );

export const recordSentMail = (db: Db, mailboxId: string, mails: RecordedMail[]) =>
  call(
    db,
    "relationship_record",
    { p_mailbox_id: mailboxId, p_mails: mails },
    z.object({ recorded: z.number() }),
  );

// Built once, not per call: zod compiles an object schema on its first parse.
const lookupResultSchema = relationshipFactsSchema.extend({
  lastSentAt: nullableIsoDate.transform((d) => d?.toISOString() ?? null),
  storeState: relationshipStateSchema,
});

export const lookupRelationship = (db: Db, mailboxId: string, query: RelationshipQuery) =>
  call(db, "relationship_lookup", { p_mailbox_id: mailboxId, p_query: query }, lookupResultSchema);

export const trustSender = (db: Db, mailboxId: string, addressHash: string) =>
  call(
    db,
    "relationship_trust",
    { p_mailbox_id: mailboxId, p_address_hash: addressHash },
    z.object({ trusted: z.boolean() }),
  );

export const saveRelationshipProgress = (
  db: Db,
  p: {
    mailboxId: string;
    cursor: string | null;
    state: z.infer<typeof relationshipStateSchema>;
    readAdd: number;
    error?: string | null;
  },
) =>
  call(
    db,
    "relationship_progress",
    {
      p_mailbox_id: p.mailboxId,
      p_cursor: p.cursor,
      p_state: p.state,
      p_read_add: p.readAdd,
      p_error: p.error ?? null,
    },
    z.object({ state: relationshipStateSchema, sentRead: z.number() }).nullable(),
  );

export const getRelationshipProgress = (db: Db, mailboxId: string) =>
  call(
    db,
    "relationship_progress_get",
    { p_mailbox_id: mailboxId },
    z
      .object({
        cursor: z.string().nullable(),
        state: relationshipStateSchema,
        sentRead: z.number(),
        updatedAt: nullableIsoDate,
      })
      .nullable(),
  );

export const relationshipStatsSchema = z.object({
  mailboxId: z.string(),
  address: z.string(),
  provider: z.string(),
  state: relationshipStateSchema,
  sentRead: z.number(),
  updatedAt: nullableIsoDate,
  error: z.string().nullable(),
  addresses: z.number(),
  domains: z.number(),
  trusted: z.number(),
});
export type RelationshipStats = z.infer<typeof relationshipStatsSchema>;

export const relationshipStats = (db: Db, organizationId: string) =>
  call(db, "relationship_stats", { p_organization_id: organizationId }, z.array(relationshipStatsSchema));

export const listRelationshipKeys = (db: Db) =>
  call(
    db,
    "organization_relationship_keys",
    {},
    z.array(z.object({ id: z.string(), ciphertext: z.string() })),
  );

export const replaceRelationshipKey = (db: Db, p: { organizationId: string; old: string; next: string }) =>
  call(
    db,
    "organization_replace_relationship_key",
    { p_organization_id: p.organizationId, p_old: p.old, p_new: p.next },
    z.object({ replaced: z.boolean() }).nullable(),
  );
