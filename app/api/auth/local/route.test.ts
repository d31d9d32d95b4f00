import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localSignIn } from "@/app/_lib/local-sign-in";
import { POST } from "@/app/api/auth/local/route";
import { POST as logout } from "@/app/api/auth/logout/route";
import { getSessionUser, updateOrganization } from "@/lib/db/accounts";
import { setDbForTests } from "@/lib/db/client";
import type { PGliteDb } from "@/lib/db/pglite";
import { SESSION_COOKIE, verifySession } from "@/lib/security/session";
import { testDb } from "@/lib/testing/db";

let db: PGliteDb;
const ctx = { params: Promise.resolve({}) };
const post = (url: string, headers: Record<string, string> = {}) =>
  new Request(`http://127.0.0.1:3000${url}`, {
    method: "POST",
    // What `npm run dev` hands the app for a browser on this machine (see scripts/dev.ts).
    headers: { host: "127.0.0.1:3000", "x-forwarded-for": "127.0.0.1", ...headers },
  });

function sessionCookie(res: Response): string | null {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return header ? header.slice(SESSION_COOKIE.length + 1).split(";")[0]! : null;
}

beforeAll(async () => {
  db = await testDb();
  setDbForTests(db);
});
afterAll(async () => {
  setDbForTests(undefined);
  await db.close();
});

describe("POST /api/auth/local", () => {
  it("does not exist outside local mode (the tests configure Google OAuth)", async () => {
    const res = await POST(post("/api/auth/local", { origin: "http://127.0.0.1:3000" }), ctx);
    expect(res.status).toBe(404);
    expect(sessionCookie(res)).toBeNull();
  });
});

describe("local sign-in", () => {
  it("signs the local user in, in the visitor's language, and sends them to onboarding, then to the dashboard", async () => {
    const res = await localSignIn(
      db,
      post("/api/auth/local", { origin: "http://127.0.0.1:3000", cookie: "locale=en" }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/onboarding");
    const session = await verifySession(sessionCookie(res));
    const user = await getSessionUser(db, session!.userId);
    expect(user).toMatchObject({
      email: "vous@local.test",
      locale: "en",
      organizationId: session!.organizationId,
    });
    expect(res.headers.getSetCookie()[0]).toMatch(/HttpOnly/i);

    await updateOrganization(db, user!.organizationId, "test", { onboarded: true });
    const again = await localSignIn(db, post("/api/auth/local"));
    expect(again.headers.get("location")).toBe("/dashboard");
    expect((await verifySession(sessionCookie(again)))?.userId).toBe(user!.userId);
  });

  it.each([
    ["another computer on the network", { "x-forwarded-for": "192.168.1.20" }],
    ["a visitor through a tunnel to localhost", { "x-forwarded-for": "203.0.113.9, 127.0.0.1" }],
    ["a forged loopback hop before the real peer", { "x-forwarded-for": "127.0.0.1, 192.168.1.20" }],
    ["a proxy naming its client", { "x-real-ip": "203.0.113.9" }],
    ["a Forwarded header naming a remote client", { forwarded: 'for="203.0.113.9";proto=https' }],
    ["a page of another site resolved to 127.0.0.1 (DNS rebinding)", { host: "evil.example:3000" }],
    ["a LAN address as host", { host: "192.168.1.5:3000" }],
    ["no peer address at all", { "x-forwarded-for": "" }],
  ])("refuses to sign in %s, and says why", async (_, headers) => {
    const res = await localSignIn(db, post("/api/auth/local", headers));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/?signin=local_only");
    expect(sessionCookie(res)).toBeNull();
  });

  it.each([
    ["localhost over IPv6", { host: "[::1]:3000", "x-forwarded-for": "::1" }],
    ["localhost as a name", { host: "localhost:3000", "x-forwarded-for": "::ffff:127.0.0.1" }],
  ])("signs in a browser on this machine: %s", async (_, headers) => {
    const res = await localSignIn(db, post("/api/auth/local", headers));
    expect(sessionCookie(res)).toBeTruthy();
  });

  it("refuses a sign-in form posted from another site", async () => {
    const res = await localSignIn(db, post("/api/auth/local", { origin: "https://evil.example" }));
    expect(res.status).toBe(403);
    expect(sessionCookie(res)).toBeNull();
  });
});

describe("POST /api/auth/logout", () => {
  it("clears the session cookie and goes home", async () => {
    const res = await logout(post("/api/auth/logout", { origin: "http://127.0.0.1:3000" }), ctx);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    expect(sessionCookie(res)).toBe("");
    expect(res.headers.getSetCookie()[0]).toMatch(/Max-Age=0/i);
  });
});
