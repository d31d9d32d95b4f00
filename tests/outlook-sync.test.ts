import { describe, expect, it } from "vitest";
import { GET as renewCron } from "@/app/api/cron/renew/route";
import { microsoftRedirectUri } from "@/lib/config/mail-providers";
import { getMailbox } from "@/lib/db/mailboxes";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Mailbox } from "@/lib/db/schemas";
import { env } from "@/lib/env";
import { sha256Hex } from "@/lib/http/constant-time";
import { getJob } from "@/lib/jobs/queue";
import { ReconnectRequiredError } from "@/lib/mail/errors";
import { refreshMicrosoftToken } from "@/lib/mail/outlook/oauth";
import { keyRing } from "@/lib/security/keys";
import { loadTokens, saveTokens } from "@/lib/security/token-store";
import type { FakeUser } from "@/lib/testing/microsoft-fake";
import {
  connectOutlook,
  drain,
  jobsOf,
  liveSubscription,
  minutesAgo,
  newUser,
  postToWebhook,
  recordedIds,
  setUpOutlookSuite,
} from "@/tests/outlook-harness";

let db: PGliteDb;
const ms = setUpOutlookSuite({
  ready: (database) => {
    db = database;
  },
});

/** A connected mailbox whose first sync ran (analysis left out unless asked: these tests are about sync). */
async function connected(
  opts: { analyze?: boolean } = {},
): Promise<{ user: FakeUser; mailbox: Mailbox; subId: string }> {
  const user = newUser(ms);
  const mailbox = await connectOutlook(db, ms, user);
  await drain(db, opts.analyze ? undefined : ["mailbox.sync", "mailbox.renew"]);
  return { user, mailbox, subId: liveSubscription(ms, user).id };
}

async function notifyAndSync(subId: string, ids: string[]) {
  expect((await postToWebhook(ms.notificationBody(subId, ids))).status).toBe(202);
  await drain(db, ["mailbox.sync", "mailbox.renew"]);
}

/** Makes the stored access token look expired, so the next job refreshes it. */
async function expireStoredToken(mailboxId: string) {
  const stored = await loadTokens(db, keyRing(), mailboxId);
  if (!stored?.tokens) throw new Error("no tokens");
  const expired = { ...stored.tokens, expiresAt: Date.now() - 1000 };
  await saveTokens(db, keyRing(), {
    mailboxId,
    tokens: expired,
    previous: null,
    expectedVersion: stored.version,
  });
  return stored.tokens;
}

describe("mailbox.sync on Outlook", () => {
  it("first sync is bounded to recent inbox mail (the 50 newest of the last 3 days), then follows the delta link", async () => {
    const user = newUser(ms);
    const recent = Array.from({ length: 55 }, (_, i) =>
      ms.addMessage(user, { receivedDateTime: minutesAgo(10 + i * 30) }),
    );
    ms.addMessage(user, { receivedDateTime: minutesAgo(5 * 24 * 60) }); // older than the window
    ms.addMessage(user, { receivedDateTime: minutesAgo(3) }, "archive"); // not in the inbox
    const mailbox = await connectOutlook(db, ms, user);
    await drain(db, ["mailbox.sync", "mailbox.renew"]);

    const newest = recent
      .slice(0, 50)
      .map((m) => m.id)
      .sort();
    expect(await recordedIds(db, mailbox.id)).toEqual(newest);
    const cursor = (await getMailbox(db, mailbox.id))?.cursor ?? "";
    expect(cursor).toMatch(
      /^https:\/\/graph\.microsoft\.com\/v1\.0\/me\/mailfolders.*\/messages\/delta\?\$deltatoken=/,
    );

    const next = ms.addMessage(user, { subject: "Nouveau" });
    await notifyAndSync(liveSubscription(ms, user).id, [next.id]);
    expect(await recordedIds(db, mailbox.id)).toEqual([...newest, next.id].sort());
    expect((await getMailbox(db, mailbox.id))?.cursor).not.toBe(cursor);
  });

  it("an expired delta link (410 SyncStateNotFound) falls back to recent inbox mail since the last sync: no gap, no duplicate", async () => {
    const { user, mailbox, subId } = await connected();
    const first = ms.addMessage(user, { subject: "Un" });
    await notifyAndSync(subId, [first.id]);

    ms.invalidateDeltaTokens(user);
    const silent = ms.addMessage(user, { subject: "Deux" }); // its notification was lost
    const notified = ms.addMessage(user, { subject: "Trois" });
    const deltaBefore = ms.calls.delta ?? 0;
    await notifyAndSync(subId, [notified.id]);
    expect(ms.calls.delta).toBe(deltaBefore + 2); // the refused link, then one fresh bounded round
    expect(await recordedIds(db, mailbox.id)).toEqual([first.id, silent.id, notified.id].sort());
    const { rows } = await db.pg.query<{ n: number }>(
      "select count(*)::int as n from jobs where kind = 'message.analyze' and key like $1",
      [`analyze:${mailbox.id}:%`],
    );
    expect(rows[0]?.n).toBe(3);

    // The new link works.
    const fourth = ms.addMessage(user, { subject: "Quatre" });
    await notifyAndSync(subId, [fourth.id]);
    expect(await recordedIds(db, mailbox.id)).toHaveLength(4);
  });

  it("an expired subscription (renew → 404) is recreated by the renew cron, and delta fills the gap", async () => {
    const { user, mailbox, subId } = await connected();
    const sub = ms.subscription(subId);
    if (!sub) throw new Error("unreachable");
    sub.expirationDateTime = new Date(Date.now() - 60_000).toISOString();
    const gap = ms.addMessage(user, { subject: "Pendant l'expiration" });

    const res = await renewCron(
      new Request("https://app.fluxasync.test/api/cron/renew", {
        headers: { authorization: `Bearer ${env.CRON_SECRET}` },
      }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(200);
    const fresh = liveSubscription(ms, user);
    expect(fresh.id).not.toBe(subId);
    const after = await getMailbox(db, mailbox.id);
    expect(after?.subscriptionId).toBe(fresh.id);
    expect(after?.clientStateHash).toBe(sha256Hex(fresh.clientState ?? ""));
    expect((await getJob(db, `sync:${mailbox.id}`))?.status).toBe("pending");

    await drain(db, ["mailbox.sync"]);
    expect(await recordedIds(db, mailbox.id)).toEqual([gap.id]);
  });

  it("saves the refresh token Microsoft rotates, encrypted; the spent one is gone", async () => {
    const { user, mailbox, subId } = await connected();
    const old = await expireStoredToken(mailbox.id);
    const tokenCalls = ms.calls.token ?? 0;

    const msg = ms.addMessage(user, { subject: "Après rotation" });
    await notifyAndSync(subId, [msg.id]);
    expect(await recordedIds(db, mailbox.id)).toEqual([msg.id]);
    expect(ms.calls.token).toBe(tokenCalls + 1);

    const now = await loadTokens(db, keyRing(), mailbox.id);
    expect(now?.tokens?.refreshToken).toMatch(/^M\.C5/);
    expect(now?.tokens?.refreshToken).not.toBe(old.refreshToken);
    expect(now?.tokens?.accessToken).not.toBe(old.accessToken);
    expect(now?.tokens?.expiresAt).toBeGreaterThan(Date.now() + 50 * 60_000);
    const { rows } = await db.pg.query<{ c: string }>(
      "select token_ciphertext as c from mailboxes where id = $1",
      [mailbox.id],
    );
    for (const secret of [old.refreshToken, now?.tokens?.refreshToken, now?.tokens?.accessToken]) {
      expect(rows[0]?.c).not.toContain(secret);
    }
    // Microsoft no longer honours the spent one; the stored one works.
    const config = {
      clientId: ms.clientId,
      clientSecret: ms.clientSecret,
      redirectUri: microsoftRedirectUri(),
    };
    await expect(refreshMicrosoftToken(config, old.refreshToken ?? "")).rejects.toBeInstanceOf(
      ReconnectRequiredError,
    );
    expect((await refreshMicrosoftToken(config, now?.tokens?.refreshToken ?? "")).refreshToken).toMatch(
      /^M\.C5/,
    );
  });

  it("jobs refreshing the same expired token at once keep the mailbox connected (one rotation wins, the others reuse it)", async () => {
    const { user, mailbox, subId } = await connected();
    const msgs = [1, 2, 3, 4].map((i) => ms.addMessage(user, { subject: `Message ${i}` }));
    await notifyAndSync(
      subId,
      msgs.map((m) => m.id),
    );
    await expireStoredToken(mailbox.id);

    await drain(db); // four message.analyze jobs, run concurrently
    expect((await getMailbox(db, mailbox.id))?.status).toBe("active");
    const { rows } = await db.pg.query<{ status: string; n: number }>(
      "select status, count(*)::int as n from messages where mailbox_id = $1 group by status",
      [mailbox.id],
    );
    expect(rows).toEqual([{ status: "analyzed", n: 4 }]);
  });

  it.each([
    ["429 ApplicationThrottled", 429 as const],
    ["503 with Retry-After", 503 as const],
  ])(
    "respects Graph throttling (%s): the sync's next run is at least Retry-After later, then it completes",
    async (_name, status) => {
      const { user, mailbox, subId } = await connected();
      const msg = ms.addMessage(user, { subject: "Sous limitation" });
      ms.failNext(1, { status, retryAfterSeconds: 120 });
      const before = Date.now();
      await notifyAndSync(subId, [msg.id]);

      const [job] = await jobsOf(db, mailbox.id);
      expect(job).toMatchObject({ kind: "mailbox.sync", status: "pending", attempts: 1 });
      expect(job?.run_at.getTime()).toBeGreaterThanOrEqual(before + 120_000);
      expect(job?.last_error).toMatch(/RetryLater/);
      expect(await recordedIds(db, mailbox.id)).toEqual([]);
      expect((await getMailbox(db, mailbox.id))?.status).toBe("active");

      // Every job of the mailbox waits too, not only the one Graph answered.
      const { rows } = await db.pg.query<{ throttled_until: Date }>(
        "select throttled_until from mailbox_sync_state where mailbox_id = $1",
        [mailbox.id],
      );
      expect(rows[0]!.throttled_until.getTime()).toBeGreaterThanOrEqual(before + 120_000);

      // Two minutes later:
      await db.pg.query("update jobs set run_at = now() where key = $1", [`sync:${mailbox.id}`]);
      await db.pg.query("update mailbox_sync_state set throttled_until = now() where mailbox_id = $1", [
        mailbox.id,
      ]);
      await drain(db, ["mailbox.sync"]);
      expect(await recordedIds(db, mailbox.id)).toEqual([msg.id]);
    },
  );
});
