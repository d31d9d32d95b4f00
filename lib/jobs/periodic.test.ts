import { afterEach, beforeEach, describe, expect, it } from "vitest";
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

const ageSends = (minutes: number) =>
  db.pg.query(`update alerts set sent_at = now() - make_interval(mins => ${minutes}) where kind = 'alert'`);

describe("escalation of unread critical alerts", () => {
  it("escalates to the designated manager after N minutes without read, once", async () => {
    await addRecipient(db, account.organizationId, {
      name: "Awa Koné",
      phone: "+2250707123456",
      escalationDelayMinutes: 15,
    });
    // The manager follows tax mail only: the contract reaches him by escalation alone.
    const manager = await addRecipient(db, account.organizationId, {
      name: "Koffi Yao",
      phone: "+2250707000005",
      role: "manager",
      escalationTarget: true,
      categories: ["tax"],
    });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db);

    await ageSends(10);
    expect((await runPeriodicWork(db)).escalations).toBe(0);
    await ageSends(16);
    expect((await runPeriodicWork(db)).escalations).toBe(1);
    await drainPipeline(db);
    const escalation = await alertFor(db, account, messageId, manager.id, "escalation");
    expect(escalation.status).toBe("sent");
    // Who left it unread, and since when (the original's sending time, in the manager's zone).
    expect(escalation.rendered?.body).toMatch(
      /⬆️ \*Escalade\* — Awa Koné n’a ni lu ni traité cette alerte critique, envoyée à \d{2}:\d{2}\./,
    );

    expect((await runPeriodicWork(db)).escalations).toBe(0);
    const count = await db.pg.query("select 1 from alerts where kind = 'escalation'");
    expect(count.rows).toHaveLength(1);
  });

  it("does not escalate an alert that was read or a message that was handled", async () => {
    await addRecipient(db, account.organizationId, { name: "Awa Koné", phone: "+2250707123456" });
    await addRecipient(db, account.organizationId, {
      name: "Koffi Yao",
      phone: "+2250707000005",
      role: "manager",
      escalationTarget: true,
      categories: ["tax"],
    });
    const read = await addAnalyzedMessage(db, account, { priority: "critical" });
    const handled = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db);
    await db.pg.query("update alerts set status = 'read', read_at = now() where message_id = $1", [
      read.messageId,
    ]);
    await db.pg.query("update messages set handled_at = now() where id = $1", [handled.messageId]);
    await ageSends(30);
    expect((await runPeriodicWork(db)).escalations).toBe(0);
  });
});

/** The current hour in a zone, by Intl (the database decides with its own clock, as in production). */
function hourIn(timeZone: string): number {
  return Number(
    new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" }).format(new Date()),
  );
}

describe("daily digest", () => {
  it("is queued at the recipient's local hour, once a day, and lists the informational mail", async () => {
    const due = await addRecipient(db, account.organizationId, {
      name: "Awa Koné",
      phone: "+2250707123456",
      timezone: "Africa/Abidjan",
      digestHour: hourIn("Africa/Abidjan"),
    });
    // A zone where it is not yet 23:00, whose digest hour is the next one: not due yet.
    const zone = ["Africa/Abidjan", "Etc/GMT+2"].find((z) => hourIn(z) < 23)!;
    const later = await addRecipient(db, account.organizationId, {
      name: "Koffi Yao",
      phone: "+2250707000005",
      timezone: zone,
      digestHour: hourIn(zone) + 1,
    });
    await addAnalyzedMessage(db, account, {
      priority: "informational",
      subject: "Lettre de la CCI",
      category: "newsletter",
    });

    expect((await runPeriodicWork(db)).digests).toBe(1);
    expect((await runPeriodicWork(db)).digests).toBe(0);
    await drainPipeline(db);
    const digests = await db.pg.query<{ recipient_id: string; status: string; rendered: { body: string } }>(
      "select recipient_id, status, rendered from alerts where kind = 'digest'",
    );
    expect(digests.rows).toHaveLength(1);
    expect(digests.rows[0]).toMatchObject({ recipient_id: due.id, status: "sent" });
    expect(digests.rows[0]?.rendered.body).toContain("🔵 1 informatif");
    expect(digests.rows[0]?.rendered.body).toContain("Lettre de la CCI");
    expect(later.id).not.toBe(due.id);
  });
});
