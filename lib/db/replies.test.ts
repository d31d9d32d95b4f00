import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PGliteDb } from "@/lib/db/pglite";
import { deleteReplyTemplate, getReplySettings, saveReplyTemplate, setMayReply } from "@/lib/db/replies";
import { DEFAULT_REPLY_TEMPLATES } from "@/lib/replies/defaults";
import { testDb } from "@/lib/testing/db";
import { type Account, addRecipient, createAccount } from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let account: Account;

beforeEach(async () => {
  db = await testDb();
  account = await createAccount(db);
});
afterEach(() => db.close());

const settings = (organizationId = account.organizationId) =>
  getReplySettings(db, organizationId, DEFAULT_REPLY_TEMPLATES);

describe("reply templates", () => {
  it("starts with the defaults, unapproved, once", async () => {
    const first = await settings();
    expect(first.templates).toHaveLength(DEFAULT_REPLY_TEMPLATES.length);
    expect(first.templates.every((t) => !t.approved)).toBe(true);
    for (const t of first.templates) await deleteReplyTemplate(db, account.organizationId, t.id, "user:test");
    expect((await settings()).templates).toEqual([]);
  });

  it("is approved explicitly, and an edit not approved again is no longer offered", async () => {
    const [tpl] = (await settings()).templates;
    const approved = await saveReplyTemplate(db, account.organizationId, "user:u1", {
      id: tpl!.id,
      approved: true,
    });
    expect(approved).toMatchObject({ approved: true, approvedBy: "user:u1" });
    const edited = await saveReplyTemplate(db, account.organizationId, "user:u1", {
      id: tpl!.id,
      body: "Autre texte",
      approved: false,
    });
    expect(edited).toMatchObject({ body: "Autre texte", approved: false, approvedBy: null });
  });

  it("cannot be edited or deleted from another organization", async () => {
    const [tpl] = (await settings()).templates;
    const other = await createAccount(db);
    await expect(
      saveReplyTemplate(db, other.organizationId, "user:x", { id: tpl!.id, approved: true }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(deleteReplyTemplate(db, other.organizationId, tpl!.id, "user:x")).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe("who may reply", () => {
  it("is the owner by default, others once allowed", async () => {
    const owner = await addRecipient(db, account.organizationId, { name: "Awa", phone: "+2250707123456" });
    const manager = await addRecipient(db, account.organizationId, {
      name: "Koffi",
      phone: "+2250505123456",
      role: "manager",
    });
    const mayReply = async () =>
      Object.fromEntries((await settings()).recipients.map((r) => [r.id, r.mayReply]));
    expect(await mayReply()).toEqual({ [owner.id]: true, [manager.id]: false });
    await setMayReply(db, account.organizationId, manager.id, true, "user:test");
    await setMayReply(db, account.organizationId, owner.id, false, "user:test");
    expect(await mayReply()).toEqual({ [owner.id]: false, [manager.id]: true });
    const other = await createAccount(db);
    await expect(setMayReply(db, other.organizationId, manager.id, false, "user:x")).rejects.toMatchObject({
      status: 404,
    });
  });
});
