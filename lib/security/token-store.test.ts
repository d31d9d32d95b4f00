import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openPglite, type PGliteDb } from "@/lib/db/pglite";
import type { TokenSet } from "@/lib/mail/provider";
import { parseKeyRing } from "@/lib/security/key-ring";
import { loadTokens, reencryptTokens, saveTokens } from "@/lib/security/token-store";
import { open, sealedKid, VaultError } from "@/lib/security/vault";
import { testDb } from "@/lib/testing/db";
import { insertOrgAndMailbox } from "@/lib/testing/fixtures";

const oldKey = `old:${randomBytes(32).toString("base64")}`;
const newKey = `new:${randomBytes(32).toString("base64")}`;
const oldRing = parseKeyRing(oldKey);
const rotatingRing = parseKeyRing(`${newKey},${oldKey}`);
const newRing = parseKeyRing(newKey);

let db: PGliteDb;
beforeAll(async () => {
  db = await testDb();
});
afterAll(() => db.close());

function tokenSet(n: number, suffix = ""): TokenSet {
  return {
    accessToken: `ya29.ACCESS-${n}-${randomBytes(12).toString("hex")}${suffix}`,
    refreshToken: `1//REFRESH-${n}-${randomBytes(12).toString("hex")}${suffix}`,
    expiresAt: Date.now() + 3_600_000,
    scope: "https://www.googleapis.com/auth/gmail.modify",
  };
}

const ciphertexts = async () =>
  (
    await db.pg.query<{ id: string; token_ciphertext: string }>(
      "select id, token_ciphertext from mailboxes where token_ciphertext is not null order by id",
    )
  ).rows;

describe("token store", () => {
  const stored: Array<{ mailboxId: string; address: string; tokens: TokenSet }> = [];

  beforeAll(async () => {
    for (let n = 0; n < 5; n++) {
      const address = `dg-${n}-${randomBytes(4).toString("hex")}@societe.ci`;
      const { mailboxId } = await insertOrgAndMailbox(db, { address });
      const tokens = tokenSet(n);
      const result = await saveTokens(db, oldRing, { mailboxId, tokens, previous: null, expectedVersion: 0 });
      expect(result).toEqual({ stored: true, version: 1 });
      stored.push({ mailboxId, address, tokens });
    }
  });

  it("reads back what it stored", async () => {
    for (const s of stored) {
      expect(await loadTokens(db, oldRing, s.mailboxId)).toEqual({
        tokens: s.tokens,
        version: 1,
        status: "active",
      });
    }
  });

  it("leaves no plaintext token anywhere in the database files or rows", async () => {
    const dump = Buffer.from(await (await db.pg.dumpDataDir("none")).arrayBuffer());
    const rows = JSON.stringify((await db.pg.query("select * from mailboxes")).rows);
    for (const s of stored) {
      // Control: the dump and the rows do hold what was written in clear, so the search is real.
      expect(dump.includes(s.address)).toBe(true);
      expect(rows).toContain(s.address);
      for (const secret of [s.tokens.accessToken, s.tokens.refreshToken!]) {
        expect(dump.includes(secret)).toBe(false);
        expect(rows).not.toContain(secret);
      }
    }
  });

  it("stores of two refreshes that started from the same version, exactly one", async () => {
    const { mailboxId } = stored[0]!;
    const a = tokenSet(100, "-A");
    const b = tokenSet(100, "-B");
    const results = await Promise.all([
      saveTokens(db, oldRing, { mailboxId, tokens: a, previous: null, expectedVersion: 1 }),
      saveTokens(db, oldRing, { mailboxId, tokens: b, previous: null, expectedVersion: 1 }),
    ]);
    expect(results.filter((r) => r.stored)).toHaveLength(1);
    expect(results.map((r) => r.version)).toEqual([2, 2]);
    const winner = results[0]!.stored ? a : b;
    const loaded = await loadTokens(db, oldRing, mailboxId);
    expect(loaded).toMatchObject({ tokens: winner, version: 2 });
    stored[0]!.tokens = winner;
  });

  it("keeps the previous refresh token when the provider did not rotate it", async () => {
    const { mailboxId, tokens: previous } = stored[1]!;
    const fresh = { ...tokenSet(101), refreshToken: null };
    const result = await saveTokens(db, oldRing, { mailboxId, tokens: fresh, previous, expectedVersion: 1 });
    expect(result.stored).toBe(true);
    const loaded = await loadTokens(db, oldRing, mailboxId);
    expect(loaded?.tokens).toEqual({ ...fresh, refreshToken: previous.refreshToken });
    stored[1]!.tokens = loaded!.tokens!;
  });

  it("rotates keys: re-encrypts everything under the new kid; the old key opens nothing afterwards", async () => {
    const before = await ciphertexts();
    expect(before.length).toBe(stored.length);
    expect(before.every((r) => sealedKid(r.token_ciphertext) === "old")).toBe(true);

    // Before rotation, dropping the old key would lock every mailbox out: rotate first.
    await expect(loadTokens(db, newRing, stored[2]!.mailboxId)).rejects.toBeInstanceOf(VaultError);

    expect(await reencryptTokens(db, rotatingRing)).toEqual({
      checked: stored.length,
      reencrypted: stored.length,
    });
    const after = await ciphertexts();
    expect(after.every((r) => sealedKid(r.token_ciphertext) === "new")).toBe(true);

    // Old ciphertext still opens while the old key is in the ring, and fails once it is removed.
    const oldCipher = before[0]!.token_ciphertext;
    await expect(open(rotatingRing, oldCipher)).resolves.toBeTypeOf("string");
    await expect(open(newRing, oldCipher)).rejects.toBeInstanceOf(VaultError);

    // Every mailbox reads with the new key alone, tokens unchanged.
    for (const s of stored) {
      expect((await loadTokens(db, newRing, s.mailboxId))?.tokens).toEqual(s.tokens);
    }
    // A second run has nothing left to do.
    expect(await reencryptTokens(db, newRing)).toEqual({ checked: stored.length, reencrypted: 0 });
  });

  it("pages through more mailboxes than one page holds", async () => {
    const extra = 205;
    const ids: string[] = [];
    for (let n = 0; n < extra; n++) ids.push((await insertOrgAndMailbox(db)).mailboxId);
    const sealed = (await ciphertexts())[0]!.token_ciphertext;
    // Same ciphertext everywhere is fine for paging; sealed under "new", re-sealed under "newer".
    await db.pg.query("update mailboxes set token_ciphertext = $1 where id = any($2::uuid[])", [sealed, ids]);
    const newer = parseKeyRing(`newer:${randomBytes(32).toString("base64")},${newKey}`);
    const result = await reencryptTokens(db, newer);
    expect(result).toEqual({ checked: stored.length + extra, reencrypted: stored.length + extra });
    expect((await ciphertexts()).every((r) => sealedKid(r.token_ciphertext) === "newer")).toBe(true);
  });

  it("refuses anything but JWE at the database", async () => {
    await expect(
      db.rpc("mailbox_token_store", {
        p_mailbox_id: stored[3]!.mailboxId,
        p_ciphertext: JSON.stringify(stored[3]!.tokens),
        p_expires_at: new Date(),
        p_expected_version: 1,
      }),
    ).rejects.toMatchObject({ status: 422 });
  });
});

describe("npm run keys:rotate", () => {
  it("re-encrypts the configured database's tokens under the first key and prints the counts", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "fluxasync-rotate-"));
    try {
      // The local database of `npm run dev` (from the run's migrated snapshot), tokens under the old key.
      const snapshot = new Blob([readFileSync(inject("pgliteSnapshot"))]);
      const seeded = new PGlite(path.join(dataDir, "pglite"), { loadDataDir: snapshot });
      await seeded.waitReady;
      await seeded.close();
      let local = await openPglite(path.join(dataDir, "pglite"));
      const saved: Array<{ mailboxId: string; tokens: TokenSet }> = [];
      for (let n = 0; n < 3; n++) {
        const { mailboxId } = await insertOrgAndMailbox(local);
        const tokens = tokenSet(200 + n);
        await saveTokens(local, oldRing, { mailboxId, tokens, previous: null, expectedVersion: 0 });
        saved.push({ mailboxId, tokens });
      }
      await local.close();

      const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/rotate-keys.ts"], {
        env: {
          PATH: process.env.PATH,
          NODE_ENV: "development",
          DATA_DIR: dataDir,
          TOKEN_ENCRYPTION_KEYS: `${newKey},${oldKey}`,
        },
        encoding: "utf8",
        timeout: 80_000,
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain("checked 3 mailbox tokens, re-encrypted 3.");
      expect(result.stdout).toContain("the old key(s) old can be removed");
      expect(result.stdout).not.toMatch(/ya29\.|1\/\/REFRESH/);

      local = await openPglite(path.join(dataDir, "pglite"));
      for (const s of saved)
        expect((await loadTokens(local, newRing, s.mailboxId))?.tokens).toEqual(s.tokens);
      await local.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
