import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeTestEmail } from "@/app/_lib/sandbox-mail";
import { fixture } from "@/lib/attachments/test-fixtures";
import type { SessionUser } from "@/lib/db/accounts";
import { getMailbox } from "@/lib/db/mailboxes";
import type { PGliteDb } from "@/lib/db/pglite";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
import { renewWatch } from "@/lib/jobs/watch";
import { logger } from "@/lib/log";
import { testDb } from "@/lib/testing/db";
import { type Account, createAccount } from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let account: Account;
const log = logger({ test: "sandbox-compose" });

beforeAll(async () => {
  db = await testDb();
  account = await createAccount(db);
  await renewWatch(db, (await getMailbox(db, account.mailboxId))!, log);
});
afterAll(() => db.close());

describe("the local compose form", { timeout: 120_000 }, () => {
  it("delivers an email with its attached file, which the pipeline reads like a provider's", async () => {
    const user = { organizationId: account.organizationId, userId: account.userId } as SessionUser;
    await composeTestEmail(db, user, {
      fromAddress: "compta@materiaux-sahel.ci",
      subject: "Facture",
      body: "Veuillez trouver ci-joint la facture.",
      attachment: {
        filename: "FA-2291.pdf",
        mimeType: "application/pdf",
        content: fixture("facture-FA-2291.pdf"),
      },
    });
    await drainJobs(db, jobRegistry(), { budgetMs: 60_000, log });
    const { rows } = await db.pg.query<{ attachments: unknown; amounts: unknown[] }>(
      "select attachments, amounts from messages where mailbox_id = $1",
      [account.mailboxId],
    );
    expect(rows[0]?.attachments).toEqual([
      expect.objectContaining({
        filename: "FA-2291.pdf",
        status: "read",
        findings: expect.objectContaining({ kind: "invoice" }),
      }),
    ]);
    expect(rows[0]?.amounts[0]).toEqual({ value: 4_500_000, currency: "XOF" });
  });

  it("refuses a file past the reader's 10 MB", async () => {
    const user = { organizationId: account.organizationId, userId: account.userId } as SessionUser;
    await expect(
      composeTestEmail(db, user, {
        fromAddress: "compta@materiaux-sahel.ci",
        subject: "Gros fichier",
        body: "Voir pièce jointe.",
        attachment: {
          filename: "gros.pdf",
          mimeType: "application/pdf",
          content: new Uint8Array(11 * 1024 * 1024),
        },
      }),
    ).rejects.toThrow("10 MB");
  });
});
