import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { failedMessageCount, listMessages } from "@/lib/db/messages";
import type { PGliteDb } from "@/lib/db/pglite";
import { deliverSandboxEmail } from "@/lib/local/sandbox-delivery";
import type { Account } from "@/lib/testing/pipeline-fixtures";
import {
  bankEmail,
  closeRefusalSuite,
  cronTick,
  openRefusalSuite,
  refuseAnalysis,
} from "./refused-analysis-harness";

/*
 * Issue #13 item 2: every recorded email ends `analyzed` or `failed`, never `pending` forever. The
 * database stands in for "something this email makes fail": a trigger refuses the analysis of one
 * subject, with the SQLSTATE a jsonb NUL gets (22P05, deterministic) or a connection failure
 * (08006, may pass on a retry). The email goes through the real path: sandbox delivery, the cron
 * route, mailbox.sync, message.analyze.
 */

let db: PGliteDb;
let account: Account;
const ctx = { params: Promise.resolve({}) };

const email = (subject: string) => bankEmail(subject, "failing@banque.ci");
const drain = () => cronTick(db);

/** The analysis job of the one email of the test (earlier tests' messages are deleted). */
async function analyzeJob() {
  const { rows } = await db.pg.query<{ status: string; attempts: number; last_error: string | null }>(
    `select j.status, j.attempts, j.last_error from jobs j
       join messages m on j.payload->>'messageId' = m.id::text
      where j.kind = 'message.analyze'`,
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

async function onlyMessage() {
  const listed = await listMessages(db, account.organizationId, { limit: 50 });
  expect(listed).toHaveLength(1);
  return listed[0];
}

beforeAll(async () => {
  ({ db, account } = await openRefusalSuite("analysis-failure"));
  await refuseAnalysis(db, "Refusé", "22P05");
  await refuseAnalysis(db, "Injoignable", "08006");
});
afterAll(() => closeRefusalSuite(db));
beforeEach(async () => {
  await db.pg.query("delete from messages");
});

describe("an email whose analysis cannot succeed", () => {
  it("fails at once on a deterministic failure, shown with its sender, subject, date and reason", async () => {
    await deliverSandboxEmail(db, account.mailboxId, email("Refusé par la base"));
    await drain();

    const job = await analyzeJob();
    // One attempt, not eight over ten minutes.
    expect(job).toMatchObject({ status: "dead", attempts: 1 });
    expect(job?.last_error).toContain("analysis failed (data, save)");
    const m = await onlyMessage();
    expect(m).toMatchObject({
      status: "failed",
      subject: "Refusé par la base",
      reasons: ["data"],
      fromAddress: "awa.kone@banque.ci",
      fromName: "Awa Koné",
      priority: null,
    });
    expect(m?.receivedAt?.toISOString()).toBe("2026-11-23T09:00:00.000Z");
    expect(
      (await listMessages(db, account.organizationId, { status: "failed" })).map((x) => x.subject),
    ).toEqual(["Refusé par la base"]);

    // Counted for the owner (stats) and the operator (health).
    const since = new Date(Date.now() - 86_400_000);
    expect(await failedMessageCount(db, since, account.organizationId)).toEqual({ failed: 1 });
    const body = (await (await health(new Request("http://localhost/api/health"), ctx)).json()) as {
      messages: { failedLastDay: number };
    };
    expect(body.messages.failedLastDay).toBe(1);
  });

  it("retries a failure that may pass, and fails the email after the last attempt instead of leaving it pending", async () => {
    await deliverSandboxEmail(db, account.mailboxId, email("Injoignable, la base"));
    await drain();
    expect(await analyzeJob()).toMatchObject({ status: "pending", attempts: 1 });
    expect((await onlyMessage())?.status).toBe("pending");

    for (let i = 0; i < 10; i++) await drain();
    expect(await analyzeJob()).toMatchObject({ status: "dead", attempts: 8 });
    expect(await onlyMessage()).toMatchObject({ status: "failed", reasons: ["retries"] });
  });
});
