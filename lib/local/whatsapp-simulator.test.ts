import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listOutbox } from "@/lib/db/alerts";
import { setDbForTests } from "@/lib/db/client";
import { getMessage } from "@/lib/db/messages";
import { issueOptInCode } from "@/lib/db/opt-in-codes";
import type { PGliteDb } from "@/lib/db/pglite";
import { getRecipient } from "@/lib/db/recipients";
import { simulateReply, simulateText } from "@/lib/local/whatsapp-simulator";
import { hashOptInCode } from "@/lib/security/keyed-hash";
import { testDb } from "@/lib/testing/db";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  alertFor,
  createAccount,
  drainPipeline,
} from "@/lib/testing/pipeline-fixtures";
import { generateOptInCode } from "@/lib/whatsapp/opt-in-code";

let db: PGliteDb;
let account: Account;

beforeEach(async () => {
  db = await testDb();
  setDbForTests(db);
  account = await createAccount(db);
});
afterEach(async () => {
  setDbForTests(undefined);
  await db.close();
});

async function outboxAlert() {
  const r = await addRecipient(db, account.organizationId, { name: "Awa", phone: "+2250707123456" });
  const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
  await drainPipeline(db);
  return { r, messageId, alert: await alertFor(db, account, messageId, r.id) };
}

describe("the local phone simulator", () => {
  it("presses a button through the signed webhook and shows the reply in the outbox", async () => {
    const { messageId, alert } = await outboxAlert();
    await simulateReply(db, {
      organizationId: account.organizationId,
      alertId: alert.id,
      buttonId: `done:${alert.id}`,
    });
    expect((await getMessage(db, account.organizationId, messageId))?.handledAt).not.toBeNull();
    const [reply] = await listOutbox(db, account.organizationId);
    expect(reply).toMatchObject({ kind: "notice", status: "sent" });
    expect(reply?.rendered?.body).toContain("Alerte marquée comme traitée");
  });

  it("refuses an alert of another organization and a button the message does not carry", async () => {
    const { alert } = await outboxAlert();
    const other = await createAccount(db);
    await expect(
      simulateReply(db, {
        organizationId: other.organizationId,
        alertId: alert.id,
        buttonId: `done:${alert.id}`,
      }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      simulateReply(db, { organizationId: account.organizationId, alertId: alert.id, buttonId: "unmute:x" }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("sends an opt-in code typed on the phone", async () => {
    const r = await addRecipient(db, account.organizationId, {
      name: "Awa",
      phone: "+2250707123456",
      optIn: false,
    });
    const code = generateOptInCode();
    await issueOptInCode(db, {
      organizationId: account.organizationId,
      recipientId: r.id,
      kind: "inbound",
      codeHash: hashOptInCode(code),
      expiresAt: new Date(Date.now() + 600_000),
    });
    await simulateText(db, {
      organizationId: account.organizationId,
      recipientId: r.id,
      text: `FLUX-${code}`,
    });
    expect((await getRecipient(db, r.id))?.status).toBe("opted_in");
    const other = await createAccount(db);
    await expect(
      simulateText(db, { organizationId: other.organizationId, recipientId: r.id, text: "aide" }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
