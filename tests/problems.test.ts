import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMessages } from "@/lib/db/messages";
import type { PGliteDb } from "@/lib/db/pglite";
import { isAppError } from "@/lib/errors/app-error";
import { catalogues } from "@/lib/i18n/catalogue";
import { countProblems, listProblems, problemReason, retryProblem } from "@/lib/jobs/problems";
import { enqueueJob } from "@/lib/jobs/queue";
import { JOB_DEFINITIONS } from "@/lib/jobs/registry";
import { deliverSandboxEmail } from "@/lib/local/sandbox-delivery";
import { type Account, createAccount } from "@/lib/testing/pipeline-fixtures";
import {
  bankEmail,
  closeRefusalSuite,
  cronTick,
  openRefusalSuite,
  refuseAnalysis,
} from "./refused-analysis-harness";

/*
 * Issue #11 item 5: failed work is visible and recoverable. A dead message.analyze (the database
 * refuses one email's analysis, as a jsonb NUL would: SQLSTATE 22P05) shows on the organization's
 * Problèmes list with its failure code, counts on the badge, is invisible to another organization,
 * and "Réessayer" once the cause is gone ends with the email analysed.
 */

let db: PGliteDb;
let account: Account;
let other: Account;

const email = bankEmail("Refusé par la base", "problem@banque.ci");
const drain = () => cronTick(db);

async function rejected(p: Promise<unknown>) {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

beforeAll(async () => {
  ({ db, account } = await openRefusalSuite("problems"));
  other = await createAccount(db);
  await refuseAnalysis(db, "Refusé", "22P05");
});
afterAll(() => closeRefusalSuite(db));

describe("the Problèmes panel", () => {
  it("lists a dead analysis as a failed email, and Réessayer makes it analysed", async () => {
    await deliverSandboxEmail(db, account.mailboxId, email);
    await drain();

    const [problem, ...more] = await listProblems(db, account.organizationId);
    expect(more).toEqual([]);
    expect(problem).toMatchObject({
      kind: "message.analyze",
      attempts: 1,
      reason: "refused",
      message: {
        status: "failed",
        reason: "data",
        subject: "Refusé par la base",
        fromAddress: "awa.kone@banque.ci",
      },
    });
    // The row's error text never reaches the panel.
    expect(JSON.stringify(problem)).not.toContain("refused by the test");
    expect(await countProblems(db, account.organizationId)).toBe(1);
    const [failed] = await listMessages(db, account.organizationId, { status: "failed" });
    expect(failed?.id).toBe(problem?.message?.id);

    // Another organization sees nothing and cannot retry it; a malformed id is a 400, not a 500.
    expect(await listProblems(db, other.organizationId)).toEqual([]);
    expect(await countProblems(db, other.organizationId)).toBe(0);
    const foreign = await rejected(retryProblem(db, other.organizationId, String(problem?.id)));
    expect(isAppError(foreign, "db_404")).toBe(true);
    for (const bad of ["abc", "-1", "1.5", "", null, "99999999999999999999"]) {
      const error = await rejected(retryProblem(db, account.organizationId, bad));
      expect(isAppError(error, "bad_request"), String(bad)).toBe(true);
    }
    const missing = await rejected(retryProblem(db, account.organizationId, "987654321"));
    expect(isAppError(missing, "db_404")).toBe(true);

    // The cause is fixed; Réessayer puts the job and the email back, once.
    await db.pg.exec("drop trigger test_refuse_22P05 on messages");
    expect(await retryProblem(db, account.organizationId, String(problem?.id))).toBe(true);
    expect(await retryProblem(db, account.organizationId, String(problem?.id))).toBe(false);
    expect(await listProblems(db, account.organizationId)).toEqual([]);
    expect(await countProblems(db, account.organizationId)).toBe(0);
    expect((await listMessages(db, account.organizationId, { status: "failed" })).length).toBe(0);

    await drain();
    await drain();
    const [analyzed] = await listMessages(db, account.organizationId, { limit: 10 });
    expect(analyzed).toMatchObject({
      id: problem?.message?.id,
      status: "analyzed",
      subject: "Refusé par la base",
    });
    expect(analyzed?.priority).not.toBeNull();
    expect(await listProblems(db, account.organizationId)).toEqual([]);
  });

  it("finds the organization of a dead job from its payload's ids, and no one's when none matches", async () => {
    const kinds = [
      { kind: "crm.sync", key: "t:org", payload: { organizationId: account.organizationId } },
      { kind: "mailbox.renew", key: "t:mailbox", payload: { mailboxId: account.mailboxId } },
      { kind: "mailbox.renew", key: "t:none", payload: { mailboxId: "not-a-uuid" } },
      { kind: "test.gone", key: "t:kind", payload: { mailboxId: account.mailboxId } },
    ];
    for (const job of kinds) await enqueueJob(db, { ...job, maxAttempts: 1 });
    // A kind no code runs (test.gone) and two that fail: dead at once (max one attempt).
    await db.pg.query(
      "update jobs set status = 'dead', last_error = 'PermanentFailure: x' where key like 't:%'",
    );
    const listed = await listProblems(db, account.organizationId);
    expect(listed.map((p) => p.kind).sort()).toEqual(["crm.sync", "mailbox.renew", "test.gone"]);
    expect(await countProblems(db, account.organizationId)).toBe(3);
    const { rows } = await db.pg.query<{ organization_id: string | null }>(
      "select organization_id from jobs where key = 't:none'",
    );
    expect(rows[0]?.organization_id).toBeNull();
  });
});

describe("problemReason", () => {
  const base = { attempts: 8, maxAttempts: 8 };
  it("names why from the row, never from the error's text", () => {
    expect(problemReason({ ...base, lastError: "no handler for job kind test.gone" })).toBe("unknown_kind");
    expect(problemReason({ ...base, lastError: "Error: x | lease expired on the final attempt" })).toBe(
      "interrupted",
    );
    expect(problemReason({ ...base, lastError: "PermanentFailure: invalid alert.send payload: ..." })).toBe(
      "invalid_payload",
    );
    expect(problemReason({ ...base, lastError: "TypeError: fetch failed" })).toBe("retries");
    expect(problemReason({ attempts: 1, maxAttempts: 8, lastError: "PermanentFailure: revoked" })).toBe(
      "refused",
    );
  });

  it("has a label for every job kind and every reason, in French and English", () => {
    for (const locale of ["fr", "en"] as const) {
      const section = catalogues[locale].web.problems as {
        kind: Record<string, string>;
        reason: Record<string, string>;
      };
      for (const def of JOB_DEFINITIONS)
        expect(section.kind[def.kind.replace(".", "_")], def.kind).toBeTruthy();
      for (const r of ["unknown_kind", "interrupted", "invalid_payload", "refused", "retries"])
        expect(section.reason[r], r).toBeTruthy();
    }
  });
});
