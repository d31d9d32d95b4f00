import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getMailbox } from "@/lib/db/mailboxes";
import type { PGliteDb } from "@/lib/db/pglite";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
import { renewWatch } from "@/lib/jobs/watch";
import { deliverSandboxEmail } from "@/lib/local/sandbox-delivery";
import { logger } from "@/lib/log";
import { testDb } from "@/lib/testing/db";
import { type Account, createAccount } from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let account: Account;
const log = logger({ test: "sandbox-delivery" });

beforeAll(async () => {
  db = await testDb();
  account = await createAccount(db);
  await renewWatch(db, (await getMailbox(db, account.mailboxId))!, log);
});
afterAll(() => db.close());

const eml = (n: number) =>
  `From: Client ${n} <client${n}@banque.ci>\r\nTo: boss@sandbox.local\r\nSubject: Commande ${n}\r\n` +
  `Message-ID: <compose-${n}@banque.ci>\r\n\r\nBonjour, voici la commande ${n}.\r\n`;

describe("composing in the sandbox mailbox", () => {
  it("records all of 300 emails composed 25 at a time while the drain syncs the mailbox", {
    timeout: 180_000,
  }, async () => {
    const kinds = ["mailbox.sync"];
    let composing = true;
    const draining = (async () => {
      while (composing) {
        await drainJobs(db, jobRegistry(), { budgetMs: 500, kinds, log });
        // Let the deliveries' file-system callbacks run between drains, as a cron tick would.
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    let next = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < 300) await deliverSandboxEmail(db, account.mailboxId, eml(next++));
      }),
    );
    composing = false;
    await draining;
    await drainJobs(db, jobRegistry(), { budgetMs: 20_000, kinds, log });
    const { rows } = await db.pg.query<{ n: number; distinct_ids: number }>(
      `select count(*)::int as n, count(distinct provider_message_id)::int as distinct_ids
         from messages where mailbox_id = $1`,
      [account.mailboxId],
    );
    expect(rows[0]).toEqual({ n: 300, distinct_ids: 300 });
    expect((await getMailbox(db, account.mailboxId))?.cursor).toBe("300");
  });
});
