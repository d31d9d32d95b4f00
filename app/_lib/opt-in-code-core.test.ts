import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  sendCodeErrorKey,
  sendOptInCode,
  verifyCodeErrorKey,
  verifyTypedCode,
} from "@/app/_lib/opt-in-code-core";
import { startOptIn } from "@/app/_lib/recipients-core";
import { getSessionUser, type SessionUser } from "@/lib/db/accounts";
import { listAudit } from "@/lib/db/audit";
import type { PGliteDb } from "@/lib/db/pglite";
import { getRecipient } from "@/lib/db/recipients";
import type { Recipient } from "@/lib/db/schemas";
import { testDb } from "@/lib/testing/db";
import { createMetaFake } from "@/lib/testing/meta-fake";
import { server } from "@/lib/testing/msw";
import { addRecipient, createAccount, testWhatsApp } from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let user: SessionUser;
let meta: ReturnType<typeof createMetaFake>;

beforeEach(async () => {
  db = await testDb();
  user = (await getSessionUser(db, (await createAccount(db)).userId))!;
  meta = createMetaFake();
  server.use(...meta.handlers);
});
afterEach(() => db.close());

const pending = (locale: Recipient["locale"] = "fr") =>
  addRecipient(db, user.organizationId, { name: "Awa", phone: "+2250707123456", locale, optIn: false });

/** The code in the verification template the fake received last (body parameter). */
function codeSentToMeta(): string {
  const template = meta.sent.at(-1)!.body.template as {
    name: string;
    components: Array<{ parameters: Array<{ text: string }> }>;
  };
  expect(template.name).toBe("fluxasync_verification");
  return template.components[0]!.parameters[0]!.text;
}

/** Another 6-digit code: the right one with its first digit changed. */
const wrongFor = (code: string) => `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e,
  );

describe("opt-in with a code typed in the app", () => {
  it("sends the code with the verification template; typing it opts the number in, audited", async () => {
    const r = await pending();
    const sent = await sendOptInCode(db, user, r.id, { whatsapp: testWhatsApp });
    expect(sent).toEqual({
      delivery: "whatsapp",
      phone: "+225 07 07 12 3456",
      expiresAt: expect.any(String),
    });
    expect(meta.sent).toHaveLength(1);
    expect(meta.sent[0]!.to).toBe("2250707123456");
    const code = codeSentToMeta();

    const typed = await verifyTypedCode(db, user, r.id, ` FLUX-${code.slice(0, 3)} ${code.slice(3)} `);
    expect(typed).toMatchObject({ verified: true, recipient: { id: r.id, status: "opted_in" } });
    expect((await getRecipient(db, r.id))?.status).toBe("opted_in");
    const actions = (await listAudit(db, user.organizationId)).map((e) => [e.action, e.target, e.details]);
    expect(actions).toContainEqual(["recipient.code_sent", r.id, { delivery: "whatsapp" }]);
    expect(actions).toContainEqual(["recipient.opted_in", r.id, { via: "app" }]);
  });

  it("shows the message the simulated phone received in local mode, in the recipient's language", async () => {
    const r = await pending("en");
    const sent = await sendOptInCode(db, user, r.id, { whatsapp: null });
    expect(meta.sent).toHaveLength(0);
    if (sent.delivery !== "outbox") throw new Error("expected the outbox delivery");
    expect(sent.code).toMatch(/^\d{6}$/);
    expect(sent.message).toEqual({
      body: `*${sent.code}* is your verification code. For your security, do not share this code.`,
      footer: "This code expires in 10 minutes.",
      button: "Copy code",
    });
    expect(await verifyTypedCode(db, user, r.id, sent.code)).toMatchObject({ verified: true });
  });

  it("refuses a wrong code without opting in, and a typo without counting it", async () => {
    const r = await pending();
    await sendOptInCode(db, user, r.id, { whatsapp: testWhatsApp });
    const code = codeSentToMeta();
    expect(await verifyTypedCode(db, user, r.id, wrongFor(code))).toEqual({
      verified: false,
      reason: "wrong",
    });
    expect(await verifyTypedCode(db, user, r.id, "12a456")).toEqual({ verified: false, reason: "format" });
    expect((await getRecipient(db, r.id))?.status).toBe("pending");
    // A wrong attempt does not end the code: the right one still works.
    expect(await verifyTypedCode(db, user, r.id, code)).toMatchObject({ verified: true });
  });

  it("ends a code after ten wrong tries, for as long as it lives, even once the hour has passed", async () => {
    const r = await pending();
    const sent = await sendOptInCode(db, user, r.id, { whatsapp: null });
    if (sent.delivery !== "outbox") throw new Error("expected the outbox delivery");
    const wrong = wrongFor(sent.code);
    let refused = 0;
    let error: unknown = null;
    while (!error && refused < 20) {
      error = await errorOf(verifyTypedCode(db, user, r.id, wrong));
      if (!error) refused += 1;
    }
    // Nine wrong codes are answered "wrong"; the tenth ends the code.
    expect(refused).toBe(9);
    expect(verifyCodeErrorKey(error)).toBe("tooManyAttempts");
    // Locked out means locked out: the right code is refused too, so guessing has a real cap.
    expect(verifyCodeErrorKey(await errorOf(verifyTypedCode(db, user, r.id, sent.code)))).toBe(
      "tooManyAttempts",
    );

    // The hour the codes were counted in rolls over while the code still lives (the old counter
    // was reset with that window, and 2,000 more guesses went through): nothing reopens it.
    await db.pg.query(
      `update opt_in_codes set created_at = created_at - interval '2 hours',
              expires_at = now() + interval '1 hour' where recipient_id = $1`,
      [r.id],
    );
    for (let i = 0; i < 30; i++) {
      expect(verifyCodeErrorKey(await errorOf(verifyTypedCode(db, user, r.id, wrong)))).toBe(
        "tooManyAttempts",
      );
    }
    expect(verifyCodeErrorKey(await errorOf(verifyTypedCode(db, user, r.id, sent.code)))).toBe(
      "tooManyAttempts",
    );
    expect((await getRecipient(db, r.id))?.status).toBe("pending");
    const { rows } = await db.pg.query<{ attempts: number }>(
      "select attempts from opt_in_codes where recipient_id = $1",
      [r.id],
    );
    expect(rows).toEqual([{ attempts: 10 }]);

    // A new code starts its own count (at most five codes an hour, so fifty guesses an hour).
    const next = await sendOptInCode(db, user, r.id, { whatsapp: null });
    if (next.delivery !== "outbox") throw new Error("expected the outbox delivery");
    expect(await verifyTypedCode(db, user, r.id, next.code)).toMatchObject({ verified: true });
  });

  it("refuses an expired code", async () => {
    const r = await pending();
    const sent = await sendOptInCode(db, user, r.id, {
      whatsapp: null,
      now: new Date(Date.now() - 11 * 60_000),
    });
    if (sent.delivery !== "outbox") throw new Error("expected the outbox delivery");
    expect(await verifyTypedCode(db, user, r.id, sent.code)).toEqual({ verified: false, reason: "wrong" });
  });

  it("limits codes to five an hour per number, without calling WhatsApp for the sixth", async () => {
    const r = await pending();
    for (let i = 0; i < 5; i++) await sendOptInCode(db, user, r.id, { whatsapp: testWhatsApp });
    const error = await errorOf(sendOptInCode(db, user, r.id, { whatsapp: testWhatsApp }));
    expect(sendCodeErrorKey(error)).toBe("rateLimited");
    expect(meta.sent).toHaveLength(5);
    // The last code sent is still the valid one.
    expect(await verifyTypedCode(db, user, r.id, codeSentToMeta())).toMatchObject({ verified: true });
  });

  it("says what to do when WhatsApp refuses the number or is busy", async () => {
    const r = await pending();
    meta.failNext(131026);
    expect(sendCodeErrorKey(await errorOf(sendOptInCode(db, user, r.id, { whatsapp: testWhatsApp })))).toBe(
      "undeliverable",
    );
    meta.failNext(130429);
    expect(sendCodeErrorKey(await errorOf(sendOptInCode(db, user, r.id, { whatsapp: testWhatsApp })))).toBe(
      "whatsappBusy",
    );
    expect(meta.sent).toHaveLength(0);
  });

  it("treats another organization's recipient as not found, for sending and for checking", async () => {
    const r = await pending();
    const other = (await getSessionUser(db, (await createAccount(db)).userId))!;
    const sendError = await errorOf(sendOptInCode(db, other, r.id, { whatsapp: testWhatsApp }));
    expect(sendCodeErrorKey(sendError)).toBe("notFound");
    expect(meta.sent).toHaveLength(0);

    const sent = await sendOptInCode(db, user, r.id, { whatsapp: null });
    if (sent.delivery !== "outbox") throw new Error("expected the outbox delivery");
    // Even the right code does not opt the number in from another organization's session.
    const verifyError = await errorOf(verifyTypedCode(db, other, r.id, sent.code));
    expect(verifyCodeErrorKey(verifyError)).toBe("notFound");
    expect((await getRecipient(db, r.id))?.status).toBe("pending");
    expect(await verifyTypedCode(db, user, r.id, sent.code)).toMatchObject({ verified: true });
  });

  it("cannot opt in a number that never wrote: the code shown for the wa.me link is refused when typed", async () => {
    const r = await pending();
    // The page shows this code to whoever opens the panel: it must come from the phone itself.
    const shown = await startOptIn(db, user, r.id);
    expect(await verifyTypedCode(db, user, r.id, shown.code)).toEqual({ verified: false, reason: "wrong" });
    // Not even once a template code is live for the number.
    await sendOptInCode(db, user, r.id, { whatsapp: testWhatsApp });
    expect(await verifyTypedCode(db, user, r.id, shown.code)).toEqual({ verified: false, reason: "wrong" });
    expect((await getRecipient(db, r.id))?.status).toBe("pending");
    expect((await listAudit(db, user.organizationId)).map((e) => e.action)).not.toContain(
      "recipient.opted_in",
    );
    // The code WhatsApp delivered to the number does it, typed by whoever holds that phone.
    expect(await verifyTypedCode(db, user, r.id, codeSentToMeta())).toMatchObject({ verified: true });
  });

  it("rethrows what the user cannot act on", () => {
    const bug = new Error("bug");
    expect(() => sendCodeErrorKey(bug)).toThrow(bug);
    expect(() => verifyCodeErrorKey(bug)).toThrow(bug);
  });
});
