import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findMailboxByAddress, getMailbox } from "@/lib/db/mailboxes";
import type { PGliteDb } from "@/lib/db/pglite";
import { sha256Hex } from "@/lib/http/constant-time";
import { getJob } from "@/lib/jobs/queue";
import { INBOX_RESOURCE } from "@/lib/mail/outlook/subscriptions";
import { keyRing } from "@/lib/security/keys";
import { loadTokens } from "@/lib/security/token-store";
import {
  APP,
  callback,
  connectOutlook,
  drain,
  liveSubscription,
  minutesAgo,
  newUser,
  postToWebhook,
  recordedIds,
  setUpOutlookSuite,
  signIn,
  startSignIn,
  WEBHOOK_URL,
  webhookHandler,
} from "@/tests/outlook-harness";

let db: PGliteDb;
const ms = setUpOutlookSuite({
  ready: (database) => {
    db = database;
  },
});
beforeEach(() => {
  // Graph's validation handshake on subscription creation goes through our webhook route.
  ms.setValidator(webhookHandler);
});
afterEach(() => ms.setValidator(null));

const count = async (table: string) =>
  Number((await db.pg.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]?.n);

describe("GET /api/auth/microsoft/start", () => {
  it("sends the browser to Microsoft with state, PKCE and the mail scopes, and keeps the verifier in a sealed cookie", async () => {
    const { response, location, cookie } = await startSignIn();
    expect(response.status).toBe(302);
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(
      "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    );
    const q = url.searchParams;
    expect(q.get("client_id")).toBe(ms.clientId);
    expect(q.get("response_type")).toBe("code");
    expect(q.get("redirect_uri")).toBe(`${APP}/api/auth/microsoft/callback`);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(q.get("state")).toMatch(/^[\w-]{43}$/);
    expect(q.get("prompt")).toBe("select_account");
    expect(q.get("scope")?.split(" ")).toEqual(
      expect.arrayContaining([
        "openid",
        "email",
        "profile",
        "offline_access",
        "https://graph.microsoft.com/Mail.ReadWrite",
      ]),
    );
    // The verifier never travels in the URL; the cookie is sealed (not readable) and httpOnly.
    expect(cookie).toMatch(/^fa_oauth=/);
    expect(response.headers.getSetCookie().join()).toMatch(/HttpOnly/i);
    expect(location).not.toContain(cookie.slice("fa_oauth=".length, 40));
  });
});

describe("GET /api/auth/microsoft/callback", () => {
  it("signs up: organization, user keyed on tid:sub, Outlook mailbox with encrypted tokens, inbox subscription, first sync", async () => {
    const user = newUser(ms, { name: "Awa Koné" });
    const recent = ms.addMessage(user, { receivedDateTime: minutesAgo(90), subject: "Facture" });
    const before = { orgs: await count("organizations"), users: await count("users") };

    const res = await signIn(ms, user);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${APP}/onboarding`);
    expect(res.headers.getSetCookie().join()).toMatch(/fa_session=[^;]+/);

    expect(await count("organizations")).toBe(before.orgs + 1);
    expect(await count("users")).toBe(before.users + 1);
    const { rows } = await db.pg.query<{ provider: string; provider_subject: string; email: string }>(
      "select provider, provider_subject, email from users where email = $1",
      [user.address],
    );
    // The fake's id_token subject is `sub-<oid>`; the tenant prefix makes it the (issuer, sub) pair.
    expect(rows).toEqual([
      { provider: "microsoft", provider_subject: `${user.tid}:sub-${user.oid}`, email: user.address },
    ]);

    const mailbox = await findMailboxByAddress(db, "outlook", user.address);
    expect(mailbox).toMatchObject({ provider: "outlook", status: "active" });
    if (!mailbox) throw new Error("unreachable");

    // Tokens: stored sealed, readable only with the key ring, and working against Graph.
    const stored = await loadTokens(db, keyRing(), mailbox.id);
    expect(stored?.tokens?.accessToken).toMatch(/^EwB/);
    expect(stored?.tokens?.refreshToken).toMatch(/^M\.C5/);
    const { rows: raw } = await db.pg.query<{ token_ciphertext: string }>(
      "select token_ciphertext from mailboxes where id = $1",
      [mailbox.id],
    );
    const ciphertext = raw[0]?.token_ciphertext ?? "";
    expect(ciphertext.split(".")).toHaveLength(5); // compact JWE
    expect(ciphertext).not.toContain(stored?.tokens?.accessToken);
    expect(ciphertext).not.toContain(stored?.tokens?.refreshToken);

    // The subscription: inbox, created messages, both URLs ours, the longest lifetime; only the
    // clientState's hash is kept (and it passed Graph's validation handshake through our route).
    const sub = liveSubscription(ms, user);
    expect(sub).toMatchObject({
      resource: INBOX_RESOURCE,
      changeType: "created",
      notificationUrl: WEBHOOK_URL,
      lifecycleNotificationUrl: WEBHOOK_URL,
    });
    expect(Date.parse(sub.expirationDateTime)).toBeGreaterThan(Date.now() + 10_000 * 60_000);
    expect(mailbox.subscriptionId).toBe(sub.id);
    expect(mailbox.clientStateHash).toBe(sha256Hex(sub.clientState ?? ""));
    expect(mailbox.watch?.clientState ?? null).toBeNull();
    expect(
      JSON.stringify(await db.pg.query("select * from mailboxes where id = $1", [mailbox.id])),
    ).not.toContain(sub.clientState);

    // The first sync is queued at once and takes recent inbox mail and the delta link.
    expect((await getJob(db, `sync:${mailbox.id}`))?.status).toBe("pending");
    await drain(db, ["mailbox.sync"]);
    expect(await recordedIds(db, mailbox.id)).toEqual([recent.id]);
    expect((await getMailbox(db, mailbox.id))?.cursor).toMatch(
      /^https:\/\/graph\.microsoft\.com\/v1\.0\/.*\$deltatoken=/,
    );
  });

  it("signs a returning user in: same organization, user and mailbox, new tokens saved, subscription renewed not duplicated", async () => {
    const user = newUser(ms, { personal: true });
    const first = await connectOutlook(db, ms, user);
    const firstTokens = await loadTokens(db, keyRing(), first.id);
    const sub = liveSubscription(ms, user);
    const before = {
      orgs: await count("organizations"),
      users: await count("users"),
      mailboxes: await count("mailboxes"),
    };

    const res = await signIn(ms, user);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${APP}/onboarding`);
    expect({
      orgs: await count("organizations"),
      users: await count("users"),
      mailboxes: await count("mailboxes"),
    }).toEqual(before);

    const again = await findMailboxByAddress(db, "outlook", user.address);
    expect(again?.id).toBe(first.id);
    expect(again?.organizationId).toBe(first.organizationId);
    const tokens = await loadTokens(db, keyRing(), first.id);
    expect(tokens?.version).toBeGreaterThan(firstTokens?.version ?? 0);
    expect(tokens?.tokens?.refreshToken).not.toBe(firstTokens?.tokens?.refreshToken);
    expect(liveSubscription(ms, user).id).toBe(sub.id);
    expect(again?.subscriptionId).toBe(sub.id);
  });

  it.each([
    ["a state that does not match the cookie", "state"],
    ["Microsoft's access_denied", "denied"],
    ["an authorization code Microsoft refuses (AADSTS70008)", "expired"],
    ["a refusal for lack of consent (AADSTS65001)", "expired"],
    ["a token endpoint error that is not the user's (invalid_client)", "provider"],
  ])("sends %s to the error page and stores nothing", async (_name, reason) => {
    const user = newUser(ms);
    const before = { users: await count("users"), mailboxes: await count("mailboxes") };
    const { location, cookie } = await startSignIn();
    const back = ms.approve(location, user);
    if (reason === "state") back.searchParams.set("state", "x".repeat(43));
    if (reason === "denied") {
      back.searchParams.delete("code");
      back.searchParams.set("error", "access_denied");
      back.searchParams.set("error_description", "AADSTS65004: User declined to consent to access the app.");
    }
    if (_name.includes("70008")) {
      ms.failNextToken({
        error: "invalid_grant",
        aadsts: 70008,
        description: "The provided authorization code or refresh token has expired due to inactivity.",
      });
    }
    if (_name.includes("65001")) {
      ms.failNextToken({
        error: "invalid_grant",
        aadsts: 65001,
        description: "The user or administrator has not consented to use the application.",
      });
    }
    if (reason === "provider") {
      ms.failNextToken({
        error: "invalid_client",
        aadsts: 7000215,
        description: "Invalid client secret provided.",
        status: 401,
      });
    }
    const res = await callback(back, cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${APP}/auth/error?provider=microsoft&reason=${reason}`);
    expect(res.headers.getSetCookie().join()).not.toMatch(/fa_session=[^;]/);
    expect({ users: await count("users"), mailboxes: await count("mailboxes") }).toEqual(before);
  });

  it("a callback without the flow cookie is refused", async () => {
    const user = newUser(ms);
    const { location } = await startSignIn();
    const res = await callback(ms.approve(location, user), "");
    expect(res.headers.get("location")).toBe(`${APP}/auth/error?provider=microsoft&reason=state`);
  });

  it("revoked consent marks the mailbox reconnect_required; signing in again reconnects it and catches up with no gap", async () => {
    const user = newUser(ms);
    const mailbox = await connectOutlook(db, ms, user);
    await drain(db);
    const sub = liveSubscription(ms, user);

    // The user withdraws consent (or resets the password): every token is refused.
    ms.revokeGrant(user);
    ms.expireAccessTokens(user);
    const missed = ms.addMessage(user, { subject: "Relance", receivedDateTime: minutesAgo(1) });
    expect((await postToWebhook(ms.notificationBody(sub.id, [missed.id]))).status).toBe(202);
    await drain(db);
    expect((await getMailbox(db, mailbox.id))?.status).toBe("reconnect_required");
    expect(await recordedIds(db, mailbox.id)).not.toContain(missed.id);
    const { rows } = await db.pg.query<{ key: string }>(
      "select key from jobs where kind = 'mailbox.sync' and status = 'dead'",
    );
    expect(rows).toEqual([]); // no retry storm against a dead grant, and nothing dead

    // While cut off, notifications are ignored (no job); reconnecting catches up from the delta link.
    await db.pg.query("delete from jobs");
    expect((await postToWebhook(ms.notificationBody(sub.id, [missed.id]))).status).toBe(202);
    expect(await getJob(db, `sync:${mailbox.id}`)).toBeNull();

    expect((await signIn(ms, user)).status).toBe(303);
    expect((await getMailbox(db, mailbox.id))?.status).toBe("active");
    await drain(db, ["mailbox.sync"]);
    expect(await recordedIds(db, mailbox.id)).toContain(missed.id);
  });
});
