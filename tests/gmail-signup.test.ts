import { describe, expect, it } from "vitest";
import { findMailboxByAddress } from "@/lib/db/mailboxes";
import type { PGliteDb } from "@/lib/db/pglite";
import { env } from "@/lib/env";
import { GMAIL_MODIFY_SCOPE } from "@/lib/mail/gmail/google-endpoints";
import { s256Challenge } from "@/lib/mail/oauth/pkce";
import { keyRing } from "@/lib/security/keys";
import { openOAuthFlow, verifySession } from "@/lib/security/session";
import { loadTokens } from "@/lib/security/token-store";
import { createGoogleFake, type GoogleFake } from "@/lib/testing/google-fake";
import { server } from "@/lib/testing/msw";
import {
  APP,
  callGoogleCallback,
  count,
  databaseText,
  setCookies,
  setUpGmailSuite,
  signInWithGoogle,
  startGoogle,
} from "@/tests/gmail-harness";

const ADDRESS = "direction@sahel-negoce.ci";
let db: PGliteDb;
let fake: GoogleFake;

setUpGmailSuite({
  ready: (suite) => {
    db = suite.db;
    fake = suite.fake;
  },
});

const errorPage = (reason: string) => `${APP}/auth/error?provider=google&reason=${reason}`;
const nothingStored = async () => {
  expect(await count(db, "select 1 from organizations")).toBe(0);
  expect(await count(db, "select 1 from mailboxes")).toBe(0);
  expect(await count(db, "select 1 from jobs")).toBe(0);
};

describe("GET /api/auth/google/start", () => {
  it("redirects to Google with state, PKCE S256, offline access, consent and the Gmail scope", async () => {
    const { res, location } = await startGoogle();
    expect(res.status).toBe(302);
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe("https://accounts.google.com/o/oauth2/v2/auth");
    const q = url.searchParams;
    expect(q.get("client_id")).toBe(env.GOOGLE_CLIENT_ID);
    expect(q.get("redirect_uri")).toBe(`${APP}/api/auth/google/callback`);
    expect(q.get("response_type")).toBe("code");
    expect(q.get("access_type")).toBe("offline");
    expect(q.get("prompt")).toBe("consent");
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("scope")?.split(" ")).toEqual(["openid", "email", "profile", GMAIL_MODIFY_SCOPE]);

    // The flow cookie holds the same state and the verifier behind the challenge, encrypted.
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("fa_oauth="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=lax/i);
    const flow = await openOAuthFlow(setCookies(res).get("fa_oauth"));
    expect(flow?.provider).toBe("google");
    expect(flow?.state).toBe(q.get("state"));
    expect(flow && s256Challenge(flow.verifier)).toBe(q.get("code_challenge"));
    expect(cookie).not.toContain(flow?.verifier);
  });

  it("gives every flow its own state and verifier", async () => {
    const a = new URL((await startGoogle()).location).searchParams;
    const b = new URL((await startGoogle()).location).searchParams;
    expect(a.get("state")).not.toBe(b.get("state"));
    expect(a.get("code_challenge")).not.toBe(b.get("code_challenge"));
  });
});

describe("GET /api/auth/google/callback", () => {
  it("signs up: organization, owner, mailbox, watch on INBOX, encrypted tokens, audit, session", async () => {
    const res = await signInWithGoogle(fake, ADDRESS);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${APP}/onboarding`);

    const { rows: users } = await db.pg.query<{
      id: string;
      organization_id: string;
      email: string;
      role: string;
    }>("select id, organization_id, email, role from users");
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email: ADDRESS, role: "owner" });
    expect(await count(db, "select 1 from organizations")).toBe(1);

    const mailbox = await findMailboxByAddress(db, "gmail", ADDRESS);
    expect(mailbox).toMatchObject({
      status: "active",
      organizationId: users[0]?.organization_id,
      userId: users[0]?.id,
    });

    // users.watch on our topic, INBOX only; its historyId is the start cursor, its expiry stored.
    const box = fake.mailbox(ADDRESS);
    expect(fake.calls("watch")).toBe(1);
    expect(box.watch).toMatchObject({ topicName: env.GMAIL_PUBSUB_TOPIC, labelIds: ["INBOX"] });
    expect(mailbox?.cursor).toBe(box.historyId);
    expect(mailbox?.watchExpiresAt?.getTime()).toBe(box.watch?.expiration);

    // Tokens: readable with the key ring, never present in clear anywhere in the row.
    const stored = await loadTokens(db, keyRing(), mailbox!.id);
    expect(stored?.tokens?.refreshToken).toMatch(/^1\/\/0fake-/);
    expect(stored?.tokens?.scope).toContain(GMAIL_MODIFY_SCOPE);
    const { rows } = await db.pg.query<{ ciphertext: string }>(
      "select token_ciphertext as ciphertext from mailboxes",
    );
    expect(rows[0]?.ciphertext.split(".")).toHaveLength(5);
    const everything = await databaseText(db);
    expect(everything).not.toContain(stored?.tokens?.accessToken);
    expect(everything).not.toContain(stored?.tokens?.refreshToken);

    const { rows: audit } = await db.pg.query<{ action: string }>("select action from audit_log order by id");
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["account.signed_up", "auth.signed_in", "mailbox.connected"]),
    );

    const session = await verifySession(setCookies(res).get("fa_session"));
    expect(session).toEqual({
      sessionId: expect.any(String),
      userId: users[0]?.id,
      organizationId: users[0]?.organization_id,
    });
    expect(setCookies(res).get("fa_oauth")).toBe("");
  });

  it("signs the same person in again into the same organization, user and mailbox", async () => {
    await signInWithGoogle(fake, ADDRESS);
    const first = await findMailboxByAddress(db, "gmail", ADDRESS);
    const firstTokens = await loadTokens(db, keyRing(), first!.id);

    // A plain sign-in does not ask for consent again: Google sends no new refresh token.
    const res = await signInWithGoogle(fake, ADDRESS, {}, "?intent=signin");
    expect(res.status).toBe(303);
    expect(await count(db, "select 1 from organizations")).toBe(1);
    expect(await count(db, "select 1 from users")).toBe(1);
    expect(await count(db, "select 1 from mailboxes")).toBe(1);
    const again = await findMailboxByAddress(db, "gmail", ADDRESS);
    expect(again?.id).toBe(first?.id);
    // The refresh token of the first consent is kept, not lost.
    expect((await loadTokens(db, keyRing(), first!.id))?.tokens?.refreshToken).toBe(
      firstTokens?.tokens?.refreshToken,
    );

    const session = await verifySession(setCookies(res).get("fa_session"));
    expect(session?.organizationId).toBe(first?.organizationId);
    const { rows } = await db.pg.query<{ action: string }>(
      "select action from audit_log where action = 'account.signed_up'",
    );
    expect(rows).toHaveLength(1);
  });

  it("lands on the error page when the user denies consent", async () => {
    const res = await signInWithGoogle(fake, ADDRESS, { deny: true });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(errorPage("denied"));
    expect(setCookies(res).get("fa_oauth")).toBe("");
    await nothingStored();
  });

  it.each([
    [
      "a state that does not match the cookie",
      (url: URL, cookie: string) => {
        url.searchParams.set("state", "x".repeat(43));
        return cookie;
      },
    ],
    ["no flow cookie", () => null],
    ["a forged flow cookie", () => "fa_oauth=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..bad.bad.bad"],
  ])("rejects %s as a bad state, before exchanging the code", async (_name, tamper) => {
    const { location, cookie } = await startGoogle();
    const url = new URL(fake.consent(location, { address: ADDRESS }));
    const sentCookie = tamper(url, cookie);
    const res = await callGoogleCallback(url.toString(), sentCookie);
    expect(res.headers.get("location")).toBe(errorPage("state"));
    expect(fake.calls("token")).toBe(0);
    await nothingStored();
  });

  it("rejects a replayed authorization code", async () => {
    const { location, cookie } = await startGoogle();
    const callback = fake.consent(location, { address: ADDRESS });
    expect((await callGoogleCallback(callback, cookie)).headers.get("location")).toBe(`${APP}/onboarding`);
    const replay = await callGoogleCallback(callback, cookie);
    expect(replay.headers.get("location")).toBe(errorPage("expired"));
    expect(setCookies(replay).has("fa_session")).toBe(false);
    expect(await count(db, "select 1 from organizations")).toBe(1);
  });

  it("rejects an authorization code that expired at Google", async () => {
    let now = Date.now();
    fake = createGoogleFake({ topicName: env.GMAIL_PUBSUB_TOPIC, now: () => now });
    server.use(...fake.handlers);
    const { location, cookie } = await startGoogle();
    const callback = fake.consent(location, { address: ADDRESS });
    now += 6 * 60_000;
    const res = await callGoogleCallback(callback, cookie);
    expect(res.headers.get("location")).toBe(errorPage("expired"));
    await nothingStored();
  });

  it.each([
    ["is down", { status: 503 }],
    ["throttles", { status: 429, retryAfterSeconds: 5 }],
    ["refuses our client", { status: 401, reason: "invalid_client" }],
  ])("shows the error page, not a server error, when Google's token endpoint %s", async (_name, fault) => {
    fake.fail("token", fault);
    const res = await signInWithGoogle(fake, ADDRESS);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(errorPage("provider"));
    await nothingStored();
  });

  it("refuses to connect when the user unticked the Gmail permission", async () => {
    const res = await signInWithGoogle(fake, ADDRESS, { grantedScopes: ["openid", "email", "profile"] });
    expect(res.headers.get("location")).toBe(errorPage("scope"));
    expect(setCookies(res).has("fa_session")).toBe(false);
    expect(fake.calls("watch")).toBe(0);
    await nothingStored();
  });

  it("refuses an account whose email Google has not verified", async () => {
    const res = await signInWithGoogle(fake, ADDRESS, { identity: { emailVerified: false } });
    expect(res.headers.get("location")).toBe(errorPage("identity"));
    await nothingStored();
  });
});

describe("callback edge cases", () => {
  it("refuses a mailbox another account holds, and leaves no empty organization behind", async () => {
    const other = await db.pg.query<{ id: string }>(
      "insert into organizations (name) values ('Autre SA') returning id",
    );
    await db.pg.query("insert into mailboxes (organization_id, provider, address) values ($1, 'gmail', $2)", [
      other.rows[0]!.id,
      ADDRESS,
    ]);
    const res = await signInWithGoogle(fake, ADDRESS);
    expect(res.headers.get("location")).toBe(errorPage("mailbox_taken"));
    expect(await count(db, "select 1 from organizations")).toBe(1);
    expect(await count(db, "select 1 from users")).toBe(0);
  });

  it("asks Google again, with consent, when a sign-in brings no refresh token for the mailbox", async () => {
    await signInWithGoogle(fake, ADDRESS);
    const mailbox = (await findMailboxByAddress(db, "gmail", ADDRESS))!;
    await db.pg.query("update mailboxes set status = 'disconnected', token_ciphertext = null where id = $1", [
      mailbox.id,
    ]);
    // Google issues a refresh token only on first consent or with prompt=consent.
    const res = await signInWithGoogle(fake, ADDRESS, {}, "?intent=signin");
    const next = new URL(res.headers.get("location") ?? "");
    expect(next.pathname).toBe("/api/auth/google/start");
    expect(next.searchParams.get("login_hint")).toBe(ADDRESS);
    const { location } = await startGoogle(`?login_hint=${encodeURIComponent(ADDRESS)}`);
    expect(new URL(location).searchParams.get("prompt")).toBe("consent");
  });
});
