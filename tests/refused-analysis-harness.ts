import { expect } from "vitest";
import { GET as cronWork } from "@/app/api/cron/work/route";
import { setDbForTests } from "@/lib/db/client";
import { getMailbox } from "@/lib/db/mailboxes";
import type { PGliteDb } from "@/lib/db/pglite";
import { env } from "@/lib/env";
import { renewWatch } from "@/lib/jobs/watch";
import { logger } from "@/lib/log";
import { testDb } from "@/lib/testing/db";
import { type Account, createAccount } from "@/lib/testing/pipeline-fixtures";

/*
 * Shared steps of the suites where an email's analysis cannot succeed (analysis-failure, problems).
 * The email takes the real local-mode path: sandbox delivery, the cron route, mailbox.sync,
 * message.analyze. The database stands in for "something this email makes fail": a trigger
 * refuses the analysis of chosen subjects with a chosen SQLSTATE (22P05, what a jsonb NUL gets:
 * deterministic; 08006, a lost connection: may pass on a retry).
 */

const ctx = { params: Promise.resolve({}) };

/** A test database the routes use, with one account whose sandbox mailbox is watched. */
export async function openRefusalSuite(label: string): Promise<{ db: PGliteDb; account: Account }> {
  const db = await testDb();
  setDbForTests(db);
  const account = await createAccount(db);
  await renewWatch(db, (await getMailbox(db, account.mailboxId))!, logger({ test: label }));
  return { db, account };
}

export async function closeRefusalSuite(db: PGliteDb) {
  setDbForTests(undefined);
  await db.close();
}

/** An email from Awa Koné at her bank (RFC 822, CRLF line ends). */
export const bankEmail = (subject: string, messageId: string) =>
  [
    "From: Awa Koné <awa.kone@banque.ci>",
    "To: direction@sahel-negoce.ci",
    `Subject: ${subject}`,
    "Date: Mon, 23 Nov 2026 09:00:00 +0000",
    `Message-ID: <${messageId}>`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Merci de signer le contrat avant 17h.",
    "",
  ].join("\r\n");

/** One tick of the work cron, then the next one made due without waiting for a retry's backoff. */
export async function cronTick(db: PGliteDb) {
  const res = await cronWork(
    new Request("https://app.fluxasync.test/api/cron/work", {
      headers: { authorization: `Bearer ${env.CRON_SECRET}` },
    }),
    ctx,
  );
  expect(res.status).toBe(200);
  await db.pg.query("update jobs set run_at = now() where status = 'pending'");
}

/**
 * Refuses the analysis of emails whose subject starts with `prefix`, with `sqlstate`, until
 * `drop trigger test_refuse_<sqlstate> on messages`.
 */
export async function refuseAnalysis(db: PGliteDb, prefix: string, sqlstate: string) {
  await db.pg.exec(`
    create or replace function test_refuse_${sqlstate}() returns trigger language plpgsql as $$
    begin
      if new.status = 'analyzed' and old.subject is null and new.subject like '${prefix}%' then
        raise exception 'refused by the test' using errcode = '${sqlstate}';
      end if;
      return new;
    end $$;
    create trigger test_refuse_${sqlstate} before update on messages
      for each row execute function test_refuse_${sqlstate}();`);
}
