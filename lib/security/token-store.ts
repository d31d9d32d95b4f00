import { z } from "zod";
import { call, type Db } from "@/lib/db/port";
import { type TokenRow, tokenRowSchema } from "@/lib/db/schemas";
import type { TokenSet } from "@/lib/mail/provider";
import type { KeyRing } from "@/lib/security/key-ring";
import { openJson, sealedKid, sealJson } from "@/lib/security/vault";

const tokenSetSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string().nullable(),
  expiresAt: z.number(),
  scope: z.string().nullable(),
});

const storedSchema = tokenRowSchema.nullable();

export type StoredTokens = { tokens: TokenSet | null; version: number; status: string };

/** Opens a token row read elsewhere (message_context carries the mailbox's), as loadTokens would. */
export async function openStoredTokens(ring: KeyRing, row: TokenRow): Promise<StoredTokens> {
  const tokens = row.ciphertext ? tokenSetSchema.parse(await openJson(ring, row.ciphertext)) : null;
  return { tokens, version: row.version, status: row.status };
}

export async function loadTokens(db: Db, ring: KeyRing, mailboxId: string): Promise<StoredTokens | null> {
  const row = await call(db, "mailbox_token_get", { p_mailbox_id: mailboxId }, storedSchema);
  return row ? openStoredTokens(ring, row) : null;
}

/**
 * Stores tokens if nobody stored newer ones since `expectedVersion` was read. A refresh token the
 * provider did not rotate is carried over from `previous`, so it is never lost.
 */
export async function saveTokens(
  db: Db,
  ring: KeyRing,
  params: { mailboxId: string; tokens: TokenSet; previous: TokenSet | null; expectedVersion: number },
): Promise<{ stored: boolean; version: number }> {
  const merged: TokenSet = {
    ...params.tokens,
    refreshToken: params.tokens.refreshToken ?? params.previous?.refreshToken ?? null,
  };
  return call(
    db,
    "mailbox_token_store",
    {
      p_mailbox_id: params.mailboxId,
      p_ciphertext: await sealJson(ring, merged),
      p_expires_at: new Date(merged.expiresAt),
      p_expected_version: params.expectedVersion,
    },
    z.object({ stored: z.boolean(), version: z.number().int() }),
  );
}

const listSchema = z.array(
  z.object({ mailboxId: z.string(), ciphertext: z.string(), version: z.number().int() }),
);

/**
 * Key rotation: re-encrypts every token not sealed with the ring's current key. Safe to run while
 * the app serves traffic: a token refreshed meanwhile (version moved) is already under the new key.
 */
export async function reencryptTokens(
  db: Db,
  ring: KeyRing,
): Promise<{ checked: number; reencrypted: number }> {
  let after: string | null = null;
  let checked = 0;
  let reencrypted = 0;
  for (;;) {
    const page: z.infer<typeof listSchema> = await call(
      db,
      "mailbox_token_list",
      { p_after: after, p_limit: 200 },
      listSchema,
    );
    if (page.length === 0) break;
    for (const row of page) {
      checked++;
      if (sealedKid(row.ciphertext) === ring.current.kid) continue;
      const tokens = tokenSetSchema.parse(await openJson(ring, row.ciphertext));
      const result = await saveTokens(db, ring, {
        mailboxId: row.mailboxId,
        tokens,
        previous: null,
        expectedVersion: row.version,
      });
      if (result.stored) reencrypted++;
    }
    after = page.at(-1)!.mailboxId;
  }
  return { checked, reencrypted };
}
