import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyTypedOptInCode } from "@/lib/db/opt-in-codes";
import type { PGliteDb } from "@/lib/db/pglite";
import { getRecipient } from "@/lib/db/recipients";
import { sendVerificationCode } from "@/lib/jobs/verification-code";
import { hashOptInCode } from "@/lib/security/keyed-hash";
import { testDb } from "@/lib/testing/db";
import { createMetaFake } from "@/lib/testing/meta-fake";
import { server } from "@/lib/testing/msw";
import { type Account, addRecipient, createAccount, testWhatsApp } from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let account: Account;
const meta = createMetaFake();

beforeEach(async () => {
  db = await testDb();
  account = await createAccount(db);
  meta.sent.length = 0;
  server.use(...meta.handlers);
});
afterEach(() => db.close());

const pending = () =>
  addRecipient(db, account.organizationId, { name: "Awa", phone: "+2250707123456", optIn: false });

describe("verification code typed in the app", () => {
  it("sends the code with the verification template; typing it opts the number in", async () => {
    const r = await pending();
    const sent = await sendVerificationCode(db, {
      organizationId: account.organizationId,
      recipientId: r.id,
      actor: "user:test",
      whatsapp: testWhatsApp,
    });
    expect(sent.delivery).toBe("whatsapp");
    expect(meta.sent).toHaveLength(1);
    const template = meta.sent[0]!.body.template as {
      name: string;
      components: Array<{ parameters: Array<{ text: string }> }>;
    };
    expect(template.name).toBe("fluxasync_verification");
    const code = template.components[0]!.parameters[0]!.text;
    const typed = await verifyTypedOptInCode(db, {
      codeHash: hashOptInCode(code),
      recipientId: r.id,
      organizationId: account.organizationId,
    });
    expect(typed.verified).toBe(true);
    expect((await getRecipient(db, r.id))?.status).toBe("opted_in");
  });

  it("hands the code back in local mode, and refuses a number WhatsApp cannot reach", async () => {
    const r = await pending();
    const local = await sendVerificationCode(db, {
      organizationId: account.organizationId,
      recipientId: r.id,
      actor: "user:test",
      whatsapp: null,
    });
    expect(local).toMatchObject({ delivery: "outbox", code: expect.stringMatching(/^\d{6}$/) });
    meta.failNext(131026);
    await expect(
      sendVerificationCode(db, {
        organizationId: account.organizationId,
        recipientId: r.id,
        actor: "user:test",
        whatsapp: testWhatsApp,
      }),
    ).rejects.toMatchObject({ status: 422 });
    const other = await createAccount(db);
    await expect(
      sendVerificationCode(db, {
        organizationId: other.organizationId,
        recipientId: r.id,
        actor: "user:test",
        whatsapp: null,
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
