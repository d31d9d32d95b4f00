import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getMailbox } from "@/lib/db/mailboxes";
import type { PGliteDb } from "@/lib/db/pglite";
import { drainJobs } from "@/lib/jobs/drain";
import { messageAnalyzeJob } from "@/lib/jobs/message-analyze";
import { runPeriodicWork } from "@/lib/jobs/periodic";
import { claimJobs } from "@/lib/jobs/queue";
import { jobRegistry } from "@/lib/jobs/registry";
import { renewWatch } from "@/lib/jobs/watch";
import { deliverSandboxEmail } from "@/lib/local/sandbox-delivery";
import { logger } from "@/lib/log";
import { testDb } from "@/lib/testing/db";
import { type Account, createAccount } from "@/lib/testing/pipeline-fixtures";

/*
 * Issue #13 item 2: an email whose analysis kills its process on every attempt (out of memory, a
 * platform time limit) leaves no code running to fail it: its job goes dead when the last lease
 * lapses. The every-minute cron ends the message `failed`, never `pending` forever.
 */
let db: PGliteDb;
let account: Account;

const email = (subject: string) =>
  [
    "From: Client <client@banque.ci>",
    "To: direction@sahel-negoce.ci",
    `Subject: ${subject}`,
    "Date: Mon, 23 Nov 2026 09:00:00 +0000",
    "",
    "Bonjour, merci de signer le contrat.",
  ].join("\r\n");

beforeEach(async () => {
  db = await testDb();
  account = await createAccount(db);
  await renewWatch(db, (await getMailbox(db, account.mailboxId))!, logger({ test: "abandoned" }));
});
afterEach(() => db.close());

describe("an analysis that dies with its process on every attempt", () => {
  it("ends the email failed (interrupted) at the next cron, once; a live analysis is left alone", async () => {
    await deliverSandboxEmail(db, account.mailboxId, email("Le contrat qui tue le serveur"));
    await deliverSandboxEmail(db, account.mailboxId, email("Un e-mail ordinaire"));
    await drainJobs(db, jobRegistry(), { kinds: ["mailbox.sync"] });
    const { rows: jobs } = await db.pg.query<{ key: string; message_id: string }>(
      "select key, payload->>'messageId' as message_id from jobs where kind = $1 order by id",
      [messageAnalyzeJob.kind],
    );
    expect(jobs).toHaveLength(2);
    const [doomed, alive] = jobs as [(typeof jobs)[0], (typeof jobs)[0]];

    // The final attempt's process dies mid-analysis: its lease lapses with nobody to complete it.
    const [claimed] = await claimJobs(db, { limit: 1, leaseSeconds: 60, kinds: [messageAnalyzeJob.kind] });
    expect(claimed?.key).toBe(doomed.key);
    await db.pg.query(
      "update jobs set attempts = max_attempts, leased_until = now() - interval '1 second' where key = $1",
      [doomed.key],
    );
    // The next drain's claim marks it dead (and finds nothing else due for it to run meanwhile).
    await db.pg.query("update jobs set run_at = now() + interval '1 hour' where key = $1", [alive.key]);
    await drainJobs(db, jobRegistry(), { kinds: [messageAnalyzeJob.kind] });
    expect((await db.pg.query("select status from jobs where key = $1", [doomed.key])).rows).toEqual([
      { status: "dead" },
    ]);

    expect((await runPeriodicWork(db)).abandoned).toBe(1);
    expect((await runPeriodicWork(db)).abandoned).toBe(0);
    const { rows } = await db.pg.query<{ id: string; status: string; reasons: unknown }>(
      "select id, status, reasons from messages where id = any ($1::uuid[])",
      [[doomed.message_id, alive.message_id]],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[doomed.message_id]).toMatchObject({ status: "failed", reasons: ["interrupted"] });
    expect(byId[alive.message_id]).toMatchObject({ status: "pending" });
  });
});
