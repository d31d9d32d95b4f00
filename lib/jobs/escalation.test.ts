import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { updateOrganization } from "@/lib/db/accounts";
import type { PGliteDb } from "@/lib/db/pglite";
import { runPeriodicWork } from "@/lib/jobs/periodic";
import { testDb } from "@/lib/testing/db";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  alertFor,
  createAccount,
  drainPipeline,
} from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let account: Account;
beforeEach(async () => {
  db = await testDb();
  account = await createAccount(db);
});
afterEach(() => db.close());

const people = async () => ({
  awa: await addRecipient(db, account.organizationId, { name: "Awa Koné", phone: "+2250707123456" }),
  koffi: await addRecipient(db, account.organizationId, {
    name: "Koffi Yao",
    phone: "+2250505123456",
    role: "manager",
    escalationTarget: true,
    escalationDelayMinutes: 15,
  }),
});
const alertsOf = async (messageId: string, recipientId: string) =>
  (
    await db.pg.query<{ kind: string }>(
      "select kind from alerts where message_id = $1 and recipient_id = $2",
      [messageId, recipientId],
    )
  ).rows.map((r) => r.kind);
/** The test clock: the original alert was sent `minutes` ago. */
const sentAgo = (alertId: string, minutes: number) =>
  db.pg.query("update alerts set sent_at = now() - make_interval(mins => $2) where id = $1", [
    alertId,
    minutes,
  ]);

describe("escalation to the designated manager", () => {
  it("waits for the delay: nothing at first, then one escalation saying who left it unread and since when", async () => {
    const { awa, koffi } = await people();
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db);
    const original = await alertFor(db, account, messageId, awa.id);
    expect(original.status).toBe("sent");
    expect(await alertsOf(messageId, koffi.id)).toEqual([]);

    await sentAgo(original.id, 10);
    expect((await runPeriodicWork(db)).escalations).toBe(0);
    await sentAgo(original.id, 16);
    expect((await runPeriodicWork(db)).escalations).toBe(1);
    await drainPipeline(db);
    const escalation = await alertFor(db, account, messageId, koffi.id, "escalation");
    const sentAt = new Intl.DateTimeFormat("fr", {
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone: "Africa/Abidjan",
    }).format(new Date(Date.now() - 16 * 60_000));
    expect(escalation.rendered?.body).toContain(
      `⬆️ *Escalade* — Awa Koné n’a ni lu ni traité cette alerte critique, envoyée à ${sentAt}.`,
    );
    // Once is enough.
    expect((await runPeriodicWork(db)).escalations).toBe(0);
  });

  it("never escalates what was read or handled", async () => {
    const { awa, koffi } = await people();
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db);
    const original = await alertFor(db, account, messageId, awa.id);
    await db.pg.query("update alerts set status = 'read', read_at = now() where id = $1", [original.id]);
    await sentAgo(original.id, 30);
    expect((await runPeriodicWork(db)).escalations).toBe(0);
    expect(await alertsOf(messageId, koffi.id)).toEqual([]);
  });

  it("sends the manager a copy at once when the organization chose the immediate copy", async () => {
    const { koffi } = await people();
    await updateOrganization(db, account.organizationId, "user:test", { escalationCopy: "immediate" });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db);
    expect(await alertsOf(messageId, koffi.id)).toEqual(["alert"]);
  });

  it("still alerts the manager when no one else would hear of the email", async () => {
    const account2 = account;
    const koffi = await addRecipient(db, account2.organizationId, {
      name: "Koffi Yao",
      phone: "+2250505123456",
      role: "manager",
      escalationTarget: true,
    });
    const { messageId } = await addAnalyzedMessage(db, account2, { priority: "critical" });
    await drainPipeline(db);
    expect(await alertsOf(messageId, koffi.id)).toEqual(["alert"]);
  });
});
