import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as logout } from "@/app/api/auth/logout/route";
import { GET as live } from "@/app/api/live/route";
import { listAudit } from "@/lib/db/audit";
import { setDbForTests } from "@/lib/db/client";
import type { PGliteDb } from "@/lib/db/pglite";
import { endSession, openSession, SESSION_ROTATE_AFTER_SECONDS } from "@/lib/http/session";
import { SESSION_COOKIE, verifySession } from "@/lib/security/session";
import { testDb } from "@/lib/testing/db";
import { type Account, createAccount } from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let account: Account;
const ctx = { params: Promise.resolve({}) };
const origin = "https://app.fluxasync.test";

beforeAll(async () => {
  db = await testDb();
  setDbForTests(db);
  account = await createAccount(db);
});
afterAll(async () => {
  setDbForTests(undefined);
  await db.close();
});

/** A signed-in browser's cookie value, through a real session row. */
const signIn = async (previous: string | null = null) => (await openSession(db, account, previous)).value;

const cookieOf = (res: Response): string | null => {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return header ? header.slice(SESSION_COOKIE.length + 1).split(";")[0]! : null;
};

const liveWith = (token: string) =>
  live(new Request(`${origin}/api/live`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } }), ctx);

const logoutWith = (token: string) =>
  logout(
    new Request(`${origin}/api/auth/logout`, {
      method: "POST",
      headers: { origin, host: "app.fluxasync.test", cookie: `${SESSION_COOKIE}=${token}` },
    }),
    ctx,
  );

/** Moves a session's start back in time, as if it had been used for that long. */
async function age(token: string, seconds: number) {
  const claims = await verifySession(token);
  await db.pg.query(`update sessions set created_at = now() - make_interval(secs => $2) where id = $1`, [
    claims!.sessionId,
    seconds,
  ]);
}

describe("sessions that end", () => {
  it("logout revokes the session: the same cookie, replayed, is refused", async () => {
    const token = await signIn();
    expect((await liveWith(token)).status).toBe(200);
    const res = await logoutWith(token);
    expect(res.status).toBe(303);
    expect(cookieOf(res)).toBe("");
    // A copy of the cookie kept elsewhere (another tab, a stolen copy) no longer works.
    expect((await liveWith(token)).status).toBe(401);
    const actions = (await listAudit(db, account.organizationId)).map((e) => e.action);
    expect(actions).toContain("auth.signed_out");
  });

  it("refuses a forged session id even with a valid signature scheme", async () => {
    const token = await signIn();
    const claims = await verifySession(token);
    await db.pg.query("delete from sessions where id = $1", [claims!.sessionId]);
    expect((await liveWith(token)).status).toBe(401);
  });

  it("rotates a session in use: a new id, the old one kept for in-flight requests, then ended", async () => {
    const token = await signIn();
    expect(cookieOf(await liveWith(token))).toBeNull();
    await age(token, SESSION_ROTATE_AFTER_SECONDS + 60);
    const res = await liveWith(token);
    expect(res.status).toBe(200);
    const next = cookieOf(res)!;
    expect(next).toBeTruthy();
    expect((await verifySession(next))!.sessionId).not.toBe((await verifySession(token))!.sessionId);
    // A request already in flight with the old cookie still works, and sets no second successor
    // (the browser keeps the new cookie).
    const inFlight = await liveWith(token);
    expect(inFlight.status).toBe(200);
    expect(cookieOf(inFlight)).toBeNull();
    expect((await liveWith(next)).status).toBe(200);
    // Past its grace, the old id is over.
    const old = await verifySession(token);
    await db.pg.query(`update sessions set expires_at = now() - interval '1 second' where id = $1`, [
      old!.sessionId,
    ]);
    expect((await liveWith(token)).status).toBe(401);
    expect((await liveWith(next)).status).toBe(200);
    await logoutWith(next);
    expect((await liveWith(next)).status).toBe(401);
  });

  it("a logout from the old cookie during the grace ends its successor too", async () => {
    const token = await signIn();
    await age(token, SESSION_ROTATE_AFTER_SECONDS + 60);
    const next = cookieOf(await liveWith(token))!;
    await logoutWith(token);
    expect((await liveWith(next)).status).toBe(401);
  });

  it("signing out of all devices ends every session of the user, and only theirs", async () => {
    const phone = await signIn();
    const laptop = await signIn();
    const other = await createAccount(db);
    const stranger = (await openSession(db, other, null)).value;
    await endSession(db, laptop, true);
    expect((await liveWith(phone)).status).toBe(401);
    expect((await liveWith(laptop)).status).toBe(401);
    expect((await liveWith(stranger)).status).toBe(200);
    const actions = (await listAudit(db, account.organizationId)).map((e) => e.action);
    expect(actions).toContain("auth.signed_out_everywhere");
  });

  it("a new sign-in in the same browser ends the session it held", async () => {
    const first = await signIn();
    const second = await signIn(first);
    expect((await liveWith(first)).status).toBe(401);
    expect((await liveWith(second)).status).toBe(200);
  });

  it("treats a malformed cookie as no session, not as a server error", async () => {
    for (const cookie of [`${SESSION_COOKIE}=%E0%A4%A`, `${SESSION_COOKIE}=%`, `${SESSION_COOKIE}=x.y.z`]) {
      const res = await live(new Request(`${origin}/api/live`, { headers: { cookie } }), ctx);
      expect(res.status).toBe(401);
    }
    const res = await logout(
      new Request(`${origin}/api/auth/logout`, {
        method: "POST",
        headers: { origin, host: "app.fluxasync.test", cookie: `${SESSION_COOKIE}=%E0%A4%A` },
      }),
      ctx,
    );
    expect(res.status).toBe(303);
  });
});
