import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboxConversations, outboxPage } from "@/lib/db/outbox";
import type { PGliteDb } from "@/lib/db/pglite";
import { testDb } from "@/lib/testing/db";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  createAccount,
  drainPipeline,
} from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let account: Account;
let other: Account;
let awa: { id: string };
let koffi: { id: string };

beforeAll(async () => {
  db = await testDb();
  account = await createAccount(db);
  other = await createAccount(db);
  awa = await addRecipient(db, account.organizationId, { name: "Awa Koné", phone: "+2250707123456" });
  koffi = await addRecipient(db, account.organizationId, { name: "Koffi Yao", phone: "+2250707000005" });
  await addRecipient(db, other.organizationId, { name: "Someone Else", phone: "+2250707000009" });
  for (let i = 0; i < 12; i++) await addAnalyzedMessage(db, account, { priority: "critical" });
  await addAnalyzedMessage(db, other, { priority: "critical" });
  await drainPipeline(db);
  // Six of Awa's messages at one and the same microsecond: the id orders them, none is lost or repeated.
  await db.pg.query(
    `update alerts set sent_at = '2026-12-01T10:00:00.123456Z'
      where id in (select id from alerts where recipient_id = $1 order by id limit 6)`,
    [awa.id],
  );
  // Koffi's conversation is the most recent.
  await db.pg.query("update alerts set sent_at = now() + interval '1 minute' where recipient_id = $1", [
    koffi.id,
  ]);
}, 120_000);
afterAll(() => db.close());

async function everyPage(recipientId: string | null, limit: number) {
  const seen: string[] = [];
  let before = null;
  for (let pages = 0; pages < 50; pages++) {
    const page = await outboxPage(db, account.organizationId, { recipientId, before, limit });
    expect(page.alerts.length).toBeLessThanOrEqual(limit);
    seen.push(...page.alerts.map((a) => a.id));
    if (!page.next) return seen;
    before = page.next;
  }
  throw new Error("the outbox never ends");
}

describe("the outbox, paged", () => {
  it("reaches every message once, newest first, past the first page", async () => {
    const ids = await everyPage(null, 5);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
    const first = await outboxPage(db, account.organizationId, { limit: 5 });
    expect(first.alerts.every((a) => a.recipientId === koffi.id)).toBe(true);
    expect(first.next).not.toBeNull();
    const all = await outboxPage(db, account.organizationId, { limit: 100 });
    expect(all.next).toBeNull();
    const times = all.alerts.map((a) => a.pageAt);
    expect(times).toEqual([...times].sort((x, y) => Date.parse(y) - Date.parse(x)));
  });

  it("shows one recipient's conversation, and only the organization's", async () => {
    const ids = await everyPage(awa.id, 4);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    const page = await outboxPage(db, account.organizationId, { recipientId: awa.id, limit: 100 });
    expect(page.alerts.every((a) => a.recipientId === awa.id && a.recipientName === "Awa Koné")).toBe(true);
    // Another organization's recipient id shows nothing of theirs.
    const [theirs] = await outboxConversations(db, other.organizationId);
    expect(theirs?.name).toBe("Someone Else");
    const foreign = await outboxPage(db, account.organizationId, {
      recipientId: theirs!.recipientId,
      limit: 10,
    });
    expect(foreign.alerts).toEqual([]);
  });

  it("lists the conversations, the most recent first", async () => {
    const conversations = await outboxConversations(db, account.organizationId);
    expect(conversations.map((c) => [c.name, c.messages])).toEqual([
      ["Koffi Yao", 12],
      ["Awa Koné", 12],
    ]);
  });
});
