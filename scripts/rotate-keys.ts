// npm run keys:rotate — re-encrypts every stored OAuth token (and each organization's relationship key) under the first key of
// TOKEN_ENCRYPTION_KEYS. Rotation: put the new key first (keep the old one after it), deploy,
// run this, then remove the old key. Stop `npm run dev` first when the database is the local PGlite.
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { reencryptRelationshipKeys } from "@/lib/jobs/relationship-hasher";
import { parseKeyRing } from "@/lib/security/key-ring";
import { reencryptTokens } from "@/lib/security/token-store";

async function main(): Promise<number> {
  const ring = parseKeyRing(env.TOKEN_ENCRYPTION_KEYS);
  const database = await db();
  try {
    console.info(
      `Re-encrypting tokens under key "${ring.current.kid}" (ring: ${[...ring.all.keys()].join(", ")}; ` +
        `database: ${database.transport}) …`,
    );
    const result = await reencryptTokens(database, ring);
    console.info(`checked ${result.checked} mailbox tokens, re-encrypted ${result.reencrypted}.`);
    const keys = await reencryptRelationshipKeys(database, ring);
    console.info(`checked ${keys.checked} relationship keys, re-encrypted ${keys.reencrypted}.`);
    // A second pass finds nothing unless a token was written under an old key meanwhile.
    const check = await reencryptTokens(database, ring);
    if (check.reencrypted > 0) {
      console.warn(`re-encrypted ${check.reencrypted} more written meanwhile: run keys:rotate again.`);
      return 1;
    }
    const old = [...ring.all.keys()].filter((kid) => kid !== ring.current.kid);
    if (old.length > 0) {
      console.info(
        `Every token uses "${ring.current.kid}": the old key(s) ${old.join(", ")} can be removed.`,
      );
    }
    return 0;
  } finally {
    await database.close();
  }
}

process.exitCode = await main();
