import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listOutbox } from "@/lib/db/alerts";
import type { PGliteDb } from "@/lib/db/pglite";
import { notifyOwners } from "@/lib/jobs/owner-notice";
import { testDb } from "@/lib/testing/db";
import { type Account, addRecipient, createAccount, drainPipeline } from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let account: Account;

beforeEach(async () => {
  db = await testDb();
  account = await createAccount(db);
});
afterEach(() => db.close());

describe("owner notices", () => {
  it("tells each opted-in owner once a day that a mailbox needs reconnecting", async () => {
    const owner = await addRecipient(db, account.organizationId, {
      name: "Awa",
      phone: "+2250707123456",
      locale: "en",
    });
    await addRecipient(db, account.organizationId, {
      name: "Koffi",
      phone: "+2250707000006",
      role: "manager",
    });
    await addRecipient(db, account.organizationId, { name: "Mariam", phone: "+2250707000007", optIn: false });
    const notice = {
      kind: "mailbox_reconnect" as const,
      mailboxId: account.mailboxId,
      address: "direction@entreprise.ci",
    };
    expect(await notifyOwners(db, account.organizationId, notice)).toEqual({ queued: 1 });
    expect(await notifyOwners(db, account.organizationId, notice)).toEqual({ queued: 0 });
    await drainPipeline(db);
    const outbox = await listOutbox(db, account.organizationId);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ recipientId: owner.id, kind: "notice", status: "sent" });
    expect(outbox[0]?.rendered?.body).toContain("direction@entreprise.ci");
  });
});
