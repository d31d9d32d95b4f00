import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "@/lib/db/accounts";
import type { PGliteDb } from "@/lib/db/pglite";
import { testDb } from "@/lib/testing/db";

let db: PGliteDb;
beforeAll(async () => {
  db = await testDb();
});
afterAll(() => db.close());

describe("account_sign_in", () => {
  it("signs up once, then signs the same identity in to the same organization", async () => {
    const first = await signIn(db, {
      provider: "google",
      subject: "g-1",
      email: "Awa@Example.CI",
      name: "Awa",
    });
    const again = await signIn(db, { provider: "google", subject: "g-1", email: "awa@example.ci" });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({
      created: false,
      userId: first.userId,
      organizationId: first.organizationId,
    });
    const orgs = await db.pg.query("select count(*)::int as n from organizations");
    expect(orgs.rows[0]).toEqual({ n: 1 });
  });

  it("joins the signed-in organization when a second provider is connected from it", async () => {
    const gmail = await signIn(db, { provider: "google", subject: "g-2", email: "dg@sarl.ci" });
    const outlook = await signIn(db, {
      provider: "microsoft",
      subject: "tid:sub-2",
      email: "dg@sarl.onmicrosoft.com",
      joinOrganizationId: gmail.organizationId,
    });
    expect(outlook.organizationId).toBe(gmail.organizationId);
    expect(outlook.created).toBe(false);
    const role = await db.pg.query<{ role: string }>("select role from users where id = $1", [
      outlook.userId,
    ]);
    expect(role.rows[0]?.role).toBe("member");
    const audit = await db.pg.query(
      "select action from audit_log where organization_id = $1 and action = 'account.identity_linked'",
      [gmail.organizationId],
    );
    expect(audit.rows).toHaveLength(1);
  });
});
