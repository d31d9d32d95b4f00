import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getMessage, listMessages } from "@/lib/db/messages";
import type { PGliteDb } from "@/lib/db/pglite";
import { testDb } from "@/lib/testing/db";
import { type Account, addAnalyzedMessage, createAccount } from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let account: Account;
beforeAll(async () => {
  db = await testDb();
  account = await createAccount(db);
});
afterAll(() => db.close());

describe("email text as the dashboard reads it", () => {
  it("never carries bidi overrides, invisible or control characters, even if stored", async () => {
    const { messageId } = await addAnalyzedMessage(db, account, {
      priority: "critical",
      fromName: "Service \u202Efdp.exe\u202C Facturation\u2066",
      subject: "Virement\u200B urgent\u0007\r\nà valider",
      summary: "Payer \u2067aujourd’hui\u2069",
    });
    // Stored verbatim (as rows written before the boundary cleaned them would be)…
    const { rows } = await db.pg.query<{ from_name: string }>(
      "select from_name from messages where id = $1",
      [messageId],
    );
    expect(rows[0]?.from_name).toContain("\u202E");
    // …and clean however the app reads it.
    const detail = await getMessage(db, account.organizationId, messageId);
    const listed = (await listMessages(db, account.organizationId)).find((m) => m.id === messageId);
    for (const m of [detail, listed]) {
      expect(m?.fromName).toBe("Service fdp.exe Facturation");
      expect(m?.subject).toBe("Virement urgent à valider");
      expect(m?.summary).toEqual({ fr: "Payer aujourd’hui", en: "Payer aujourd’hui" });
    }
  });
});
