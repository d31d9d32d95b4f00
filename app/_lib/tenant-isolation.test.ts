import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEmail, markEmailHandled, sendFeedback } from "@/app/_lib/email-access";
import { disconnect } from "@/app/_lib/mailboxes-core";
import { removeSenderRule } from "@/app/_lib/organization-core";
import { phonePressesButton, phoneSendsOptInCode } from "@/app/_lib/phone-simulator";
import { removeRecipient, startOptIn, updateRecipient } from "@/app/_lib/recipients-core";
import { getSessionUser, type SessionUser } from "@/lib/db/accounts";
import { listOutbox } from "@/lib/db/alerts";
import { listMailboxes } from "@/lib/db/mailboxes";
import { getMessage, listMessages } from "@/lib/db/messages";
import type { PGliteDb } from "@/lib/db/pglite";
import { listRecipients, listSenderRules, saveSenderRule } from "@/lib/db/recipients";
import type { Recipient } from "@/lib/db/schemas";
import { isAppError } from "@/lib/errors/app-error";
import { log } from "@/lib/log";
import { testDb } from "@/lib/testing/db";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  createAccount,
  drainPipeline,
} from "@/lib/testing/pipeline-fixtures";

/*
 * A user of organization B calls what the web app's pages and server actions call, with ids that
 * belong to organization A: nothing is read, nothing changes, and the answer is "not found".
 */

let db: PGliteDb;
let a: Account;
let userA: SessionUser;
let userB: SessionUser;
let messageId: string;
let alertId: string;
let recipientA: Recipient;

const notFound = (p: Promise<unknown>) =>
  expect(p).rejects.toSatisfy((e) => isAppError(e) && e.status === 404, "a 404 AppError");

beforeAll(async () => {
  db = await testDb();
  a = await createAccount(db);
  const b = await createAccount(db);
  userA = (await getSessionUser(db, a.userId))!;
  userB = (await getSessionUser(db, b.userId))!;
  recipientA = await addRecipient(db, a.organizationId, { name: "Awa", phone: "+2250707123456" });
  const m = await addAnalyzedMessage(db, a, { priority: "critical" });
  messageId = m.messageId;
  alertId = m.alerts[0]!.id;
});

afterAll(async () => {
  await db.close();
});

describe("tenant isolation of the web app", () => {
  it("the email page loader finds the email for its organization only", async () => {
    expect((await loadEmail(db, userA, messageId))?.id).toBe(messageId);
    expect(await loadEmail(db, userB, messageId)).toBeNull();
    expect(await loadEmail(db, userB, "not-a-uuid")).toBeNull();
    expect(await listMessages(db, userB.organizationId)).toEqual([]);
  });

  it("another organization cannot mark the email handled or correct its priority", async () => {
    await notFound(markEmailHandled(db, userB, messageId));
    await notFound(sendFeedback(db, userB, { id: messageId, priority: "spam", makeRule: true }));
    const after = await getMessage(db, a.organizationId, messageId);
    expect(after?.handledAt).toBeNull();
    expect(after?.feedbackPriority).toBeNull();
    expect(await listSenderRules(db, userB.organizationId)).toEqual([]);
    expect(await listSenderRules(db, a.organizationId)).toEqual([]);
  });

  it("another organization cannot see, change, remove or opt in a recipient", async () => {
    await notFound(updateRecipient(db, userB, recipientA.id, { minPriority: "critical" }));
    await notFound(removeRecipient(db, userB, recipientA.id));
    await notFound(startOptIn(db, userB, recipientA.id));
    await notFound(phoneSendsOptInCode(db, userB, recipientA.id, "123456", true));
    const [still] = await listRecipients(db, a.organizationId);
    expect(still).toMatchObject({
      id: recipientA.id,
      minPriority: recipientA.minPriority,
      status: "opted_in",
    });
  });

  it("another organization cannot press the buttons of an alert from the outbox", async () => {
    // Sent to the outbox, so the alert really carries a "done" button: only the organization can refuse B.
    await drainPipeline(db);
    const [sent] = await listOutbox(db, a.organizationId);
    expect(sent?.rendered?.buttons.map((b) => b.id)).toContain(`done:${alertId}`);
    await notFound(phonePressesButton(db, userB, alertId, `done:${alertId}`, true));
    expect((await getMessage(db, a.organizationId, messageId))?.handledAt).toBeNull();
  });

  it("another organization cannot disconnect a mailbox, or remove a sender rule", async () => {
    await notFound(disconnect(db, userB, a.mailboxId, log));
    expect((await listMailboxes(db, a.organizationId)).map((m) => m.status)).toEqual(["active"]);
    const rule = await saveSenderRule(db, {
      organizationId: a.organizationId,
      pattern: "@banque.ci",
      kind: "vip",
      source: "settings",
      actor: "user:test",
    });
    await notFound(removeSenderRule(db, userB, rule.id));
    expect((await listSenderRules(db, a.organizationId)).map((r) => r.id)).toEqual([rule.id]);
  });

  it("the owner can do all of it", async () => {
    expect((await markEmailHandled(db, userA, messageId)).handledAt).not.toBeNull();
    const code = await startOptIn(db, userA, recipientA.id);
    expect(code.display).toMatch(/^FLUX-\d{6}$/);
  });
});
