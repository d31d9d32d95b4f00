import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/live/route";
import { setDbForTests } from "@/lib/db/client";
import type { PGliteDb } from "@/lib/db/pglite";
import { testDb } from "@/lib/testing/db";
import { type Account, addAnalyzedMessage, createAccount } from "@/lib/testing/pipeline-fixtures";
import { sessionCookieHeader } from "@/lib/testing/session-cookie";

let db: PGliteDb;
let a: Account;
let b: Account;
const ctx = { params: Promise.resolve({}) };

async function live(account?: Account) {
  const headers: Record<string, string> = {};
  if (account) headers.cookie = await sessionCookieHeader(db, account);
  return GET(new Request("http://127.0.0.1:3000/api/live", { headers }), ctx);
}
const fingerprint = async (account: Account) =>
  ((await (await live(account)).json()) as { fingerprint: string }).fingerprint;

beforeAll(async () => {
  db = await testDb();
  setDbForTests(db);
  a = await createAccount(db);
  b = await createAccount(db);
});
afterAll(async () => {
  setDbForTests(undefined);
  await db.close();
});

describe("GET /api/live", () => {
  it("answers 401 without a session", async () => {
    expect((await live()).status).toBe(401);
  });

  it("changes when the organization gets a new email, and only then", async () => {
    const before = await fingerprint(a);
    const other = await fingerprint(b);
    expect(await fingerprint(a)).toBe(before);
    await addAnalyzedMessage(db, a, { priority: "important" });
    expect(await fingerprint(a)).not.toBe(before);
    expect(await fingerprint(b)).toBe(other);
  });
});
