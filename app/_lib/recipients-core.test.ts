import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userErrorKey } from "@/app/_lib/action-helpers";
import { addRecipient, startOptIn } from "@/app/_lib/recipients-core";
import { getSessionUser, type SessionUser } from "@/lib/db/accounts";
import { verifyInboundOptInCode } from "@/lib/db/opt-in-codes";
import type { PGliteDb } from "@/lib/db/pglite";
import { hashOptInCode } from "@/lib/security/keyed-hash";
import { testDb } from "@/lib/testing/db";
import { createAccount } from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let user: SessionUser;

beforeAll(async () => {
  db = await testDb();
  user = (await getSessionUser(db, (await createAccount(db)).userId))!;
});
afterAll(async () => {
  await db.close();
});

describe("recipient opt-in from the web app", () => {
  it("adds a recipient as pending, in the user's language and the organization's time zone", async () => {
    const r = await addRecipient(db, user, {
      name: "Awa",
      phone: "+2250707123456",
      role: "owner",
      escalationTarget: false,
    });
    expect(r).toMatchObject({
      status: "pending",
      locale: user.locale,
      timezone: "Africa/Abidjan",
      role: "owner",
    });
  });

  it("shows a code once, whose wa.me link and QR code carry it, and which opts the number in from its phone", async () => {
    const r = await addRecipient(db, user, {
      name: "Koffi",
      phone: "+2250505123456",
      role: "manager",
      escalationTarget: true,
    });
    const shown = await startOptIn(db, user, r.id);
    expect(shown.display).toBe(`FLUX-${shown.code}`);
    // Tests run with OAuth configured (not local mode): no simulated business number, so no link.
    expect(shown.link).toBeNull();
    // From another phone the code is worthless; from the recipient's own number it opts it in.
    const elsewhere = await verifyInboundOptInCode(db, {
      phone: "+2250909123456",
      codeHash: hashOptInCode(shown.code),
    });
    expect(elsewhere.verified).toBe(false);
    const verified = await verifyInboundOptInCode(db, {
      phone: r.address,
      codeHash: hashOptInCode(shown.code),
    });
    expect(verified).toMatchObject({ verified: true, recipient: { id: r.id, status: "opted_in" } });
  });

  it("limits codes to five an hour per number, and says so in the user's words", async () => {
    const r = await addRecipient(db, user, {
      name: "Fatou",
      phone: "+2250101123456",
      role: "member",
      escalationTarget: false,
    });
    for (let i = 0; i < 5; i++) await startOptIn(db, user, r.id);
    const error = await startOptIn(db, user, r.id).catch((e: unknown) => e);
    expect(userErrorKey(error)).toBe("rateLimited");
  });
});
