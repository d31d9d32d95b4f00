import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/port";
import {
  getRelationshipKey,
  listRelationshipKeys,
  lookupRelationship,
  replaceRelationshipKey,
  setRelationshipKey,
} from "@/lib/db/relationships";
import type { NormalizedMessage } from "@/lib/mail/types";
import type { RelationshipFacts } from "@/lib/relationships/facts";
import { createHasher, type Hasher } from "@/lib/relationships/hash";
import { queryFor } from "@/lib/relationships/lookup";
import { keyRing } from "@/lib/security/keys";
import { open, seal, sealedKid } from "@/lib/security/vault";

/*
 * Each organization hashes its correspondents under its own random key, created on first use and
 * kept sealed in the vault (the same key ring as the OAuth tokens). Opened once per process.
 */

const hashers = new Map<string, Hasher>();

export async function organizationHasher(db: Db, organizationId: string): Promise<Hasher> {
  const cached = hashers.get(organizationId);
  if (cached) return cached;
  const ring = keyRing();
  let ciphertext = (await getRelationshipKey(db, organizationId))?.ciphertext ?? null;
  if (!ciphertext) {
    const fresh = await seal(ring, randomBytes(32).toString("base64"));
    // Two jobs creating it at once: the first write wins and both use that one.
    ciphertext = (await setRelationshipKey(db, organizationId, fresh)).ciphertext;
  }
  const hasher = createHasher(Buffer.from(await open(ring, ciphertext), "base64"));
  hashers.set(organizationId, hasher);
  return hasher;
}

/** What the mailbox's store knows of this email's sender and thread, and how far its reading is (one call). */
export async function relationshipFacts(
  db: Db,
  mailbox: { id: string; organizationId: string },
  msg: Pick<NormalizedMessage, "from" | "headers" | "subject" | "text">,
): Promise<{ facts: RelationshipFacts; storeState: string }> {
  const hash = await organizationHasher(db, mailbox.organizationId);
  const { storeState, ...facts } = await lookupRelationship(db, mailbox.id, queryFor(msg, hash));
  return { facts, storeState };
}

/**
 * Key rotation for the organizations' relationship keys: each one not sealed under the ring's
 * current key is opened and sealed again (compare-and-set, so a concurrent first write is kept).
 */
export async function reencryptRelationshipKeys(
  db: Db,
  ring = keyRing(),
): Promise<{ checked: number; reencrypted: number }> {
  let reencrypted = 0;
  const rows = await listRelationshipKeys(db);
  for (const row of rows) {
    if (sealedKid(row.ciphertext) === ring.current.kid) continue;
    const next = await seal(ring, await open(ring, row.ciphertext));
    if ((await replaceRelationshipKey(db, { organizationId: row.id, old: row.ciphertext, next }))?.replaced)
      reencrypted++;
  }
  hashers.clear();
  return { checked: rows.length, reencrypted };
}
