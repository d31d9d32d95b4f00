import { describe, expect, it } from "vitest";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Mailbox } from "@/lib/db/schemas";
import { env } from "@/lib/env";
import { getJob } from "@/lib/jobs/queue";
import type { GoogleFake } from "@/lib/testing/google-fake";
import {
  connectGmail,
  count,
  cron,
  deliver,
  drainMail,
  mailboxRow,
  makeJobsDue,
  push,
  recordedIds,
  setUpGmailSuite,
} from "@/tests/gmail-harness";

const ADDRESS = "direction@sahel-negoce.ci";
const OTHER = "compta@batiplus.ci";
const WEEK_MS = 7 * 86_400_000;
let db: PGliteDb;
let fake: GoogleFake;
let mailbox: Mailbox;

setUpGmailSuite({
  address: ADDRESS,
  ready: (suite) => {
    db = suite.db;
    fake = suite.fake;
    mailbox = suite.mailbox!;
  },
});

const syncRows = () => count(db, "select 1 from jobs where kind = 'mailbox.sync'");
const inboxIds = (address = ADDRESS) => [...fake.mailbox(address).messages.keys()].sort();
const setWatchExpiry = (at: Date) =>
  db.pg.query("update mailboxes set watch_expires_at = $2 where id = $1", [mailbox.id, at]);

describe("GET /api/cron/renew", () => {
  it("refuses a call without the cron secret", async () => {
    expect((await cron("renew", null)).status).toBe(401);
    expect((await cron("renew", "not-the-cron-secret")).status).toBe(401);
    expect(fake.calls("watch")).toBe(1); // the sign-up's only
  });

  it("renews the watch on the same topic and records the new expiry", async () => {
    await setWatchExpiry(new Date(Date.now() + 86_400_000));
    const res = await cron("renew");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, renewed: 1, failed: 0 });
    expect(fake.calls("watch")).toBe(2);
    expect(fake.mailbox(ADDRESS).watch?.topicName).toBe(env.GMAIL_PUBSUB_TOPIC);
    const expiry = (await mailboxRow(db, mailbox.id)).watch_expires_at!.getTime();
    expect(Math.abs(expiry - (Date.now() + WEEK_MS))).toBeLessThan(60_000);
    // Still live: nothing was missed, no catch-up sync.
    expect(await syncRows()).toBe(0);
  });

  it("stops the other push client and watches again on the conflict error", async () => {
    fake.mailbox(ADDRESS).pushClientConflict = true;
    const res = await cron("renew");
    expect(await res.json()).toMatchObject({ ok: true, renewed: 1 });
    expect(fake.calls("stop")).toBe(1);
    expect(fake.calls("watch")).toBe(3); // sign-up, refused, after stop
    expect(fake.mailbox(ADDRESS).watch?.topicName).toBe(env.GMAIL_PUBSUB_TOPIC);
  });

  it("follows a lapsed watch with a catch-up sync, even after earlier push syncs", async () => {
    deliver(fake, ADDRESS, 1);
    await push(fake, ADDRESS);
    await drainMail(db);
    // The watch lapsed: mail arrived with no push at all.
    await setWatchExpiry(new Date(Date.now() - 3_600_000));
    deliver(fake, ADDRESS, 2);
    const res = await cron("renew");
    expect(await res.json()).toMatchObject({ renewed: 1 });
    expect((await getJob(db, `sync:${mailbox.id}`))?.status).toBe("pending");
    await drainMail(db);
    expect(await recordedIds(db, mailbox.id)).toEqual(inboxIds());
    expect(await count(db, "select 1 from messages where status = 'analyzed'")).toBe(3);
  });

  it("keeps renewing the other mailboxes when one fails", async () => {
    const other = await connectGmail(db, fake, OTHER);
    fake.fail("watch", { status: 500 });
    const body = await (await cron("renew")).json();
    expect(body).toMatchObject({ ok: false, failed: 1, renewed: 1 });
    expect((await mailboxRow(db, other.id)).status).toBe("active");
  });
});

describe("GET /api/cron/poll", () => {
  it("refuses a call without the cron secret", async () => {
    expect((await cron("poll", null)).status).toBe(401);
    expect(await syncRows()).toBe(0);
  });

  it("enqueues one sync per active mailbox, coalesced with a pending push sync", async () => {
    const other = await connectGmail(db, fake, OTHER);
    deliver(fake, ADDRESS, 1);
    deliver(fake, OTHER, 2);
    await push(fake, ADDRESS);
    const res = await cron("poll");
    expect(await res.json()).toMatchObject({ ok: true, enqueued: 2 });
    expect(await syncRows()).toBe(2);
    await drainMail(db);
    expect(await recordedIds(db, mailbox.id)).toEqual(inboxIds(ADDRESS));
    expect(await recordedIds(db, other.id)).toEqual(inboxIds(OTHER));
    expect(await syncRows()).toBe(2);
  });

  it("is not swallowed by a stale push coalesced with it", async () => {
    const [old] = deliver(fake, ADDRESS, 1);
    await push(fake, ADDRESS, old?.historyId);
    await drainMail(db);
    deliver(fake, ADDRESS, 1);
    await cron("poll");
    // Pub/Sub redelivers the old notification while the poll's sync waits.
    await push(fake, ADDRESS, old?.historyId);
    await drainMail(db);
    expect(await recordedIds(db, mailbox.id)).toEqual(inboxIds());
  });

  it("finds mail that came without a push after earlier push-driven syncs", async () => {
    deliver(fake, ADDRESS, 1);
    await push(fake, ADDRESS);
    await drainMail(db);
    // Push is down: only the poll can see this one.
    deliver(fake, ADDRESS, 1);
    await cron("poll");
    await drainMail(db);
    expect(await recordedIds(db, mailbox.id)).toEqual(inboxIds());
    expect(await syncRows()).toBe(1);
  });
});

describe("a mailbox whose watch could not start", () => {
  it("is still connected, and its first sync (queued at sign-up) takes recent mail only", async () => {
    const address = "compta@sahel-negoce.ci";
    const box = fake.mailbox(address);
    box.addMessage({
      from: "a@b.ci",
      subject: "Ancien",
      text: "…",
      receivedAt: new Date(Date.now() - 10 * 86_400_000),
    });
    const [recent] = deliver(fake, address, 1, { receivedAt: new Date(Date.now() - 86_400_000) });
    // Pub/Sub refused (no publish right on the topic): a 403 that is not a rate limit.
    fake.fail("watch", {
      status: 403,
      reason: "forbidden",
      message: "User not authorized to perform this action.",
    });
    const other = await connectGmail(db, fake, address);
    expect(other.watchExpiresAt).toBeNull();
    expect(await recordedIds(db, other.id)).toEqual([recent?.id]);

    await cron("poll");
    await drainMail(db, { kinds: ["mailbox.sync"] });
    expect(await recordedIds(db, other.id)).toEqual([recent?.id]);
    expect((await mailboxRow(db, other.id)).cursor).toBe(box.historyId);
  });
});

describe("a revoked grant (invalid_grant)", () => {
  it("marks the mailbox reconnect_required, audits it, tells the owner and stops calling Google", async () => {
    await db.pg.query(
      `insert into recipients (organization_id, name, phone_e164, role, status, opted_in_at)
       values ($1, 'Kouassi', '+2250700000001', 'owner', 'opted_in', now())`,
      [mailbox.organizationId],
    );
    deliver(fake, ADDRESS, 2);
    fake.revokeGrant(ADDRESS);
    fake.resetCounters();
    await push(fake, ADDRESS);
    await drainMail(db);

    expect(fake.calls("token")).toBe(1);
    const row = await mailboxRow(db, mailbox.id);
    expect(row.status).toBe("reconnect_required");
    const { rows: audit } = await db.pg.query<{ action: string; target: string }>(
      "select action, target from audit_log where action = 'mailbox.reconnect_required'",
    );
    expect(audit).toEqual([{ action: "mailbox.reconnect_required", target: mailbox.id }]);
    const sync = await getJob(db, `sync:${mailbox.id}`);
    expect(sync?.status).toBe("done");
    const { rows: notices } = await db.pg.query<{ kind: string; body: string }>(
      "select kind, rendered->>'body' as body from alerts",
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]?.kind).toBe("notice");
    expect(notices[0]?.body).toContain(ADDRESS);

    // No storm: pushes, polls, renewals and later drains leave Google alone.
    for (let i = 0; i < 3; i++) {
      expect((await push(fake, ADDRESS)).status).toBe(204);
      expect(await (await cron("poll")).json()).toMatchObject({ enqueued: 0 });
      expect(await (await cron("renew")).json()).toMatchObject({ renewed: 0 });
      await makeJobsDue(db);
      await drainMail(db);
    }
    expect(fake.calls("token")).toBe(1);
    expect(fake.calls("history.list")).toBe(1);
    expect(fake.calls("watch")).toBe(0);
    expect(await recordedIds(db, mailbox.id)).toEqual([]);
    expect(await count(db, "select 1 from alerts")).toBe(1);
  });

  it("holds pending analyses until the owner reconnects, then analyses them", async () => {
    deliver(fake, ADDRESS, 2);
    await push(fake, ADDRESS);
    await drainMail(db, { kinds: ["mailbox.sync"] });
    expect(await recordedIds(db, mailbox.id)).toHaveLength(2);

    fake.revokeGrant(ADDRESS);
    fake.resetCounters();
    await drainMail(db, { kinds: ["mailbox.sync", "message.analyze"] });
    expect((await mailboxRow(db, mailbox.id)).status).toBe("reconnect_required");
    expect(fake.calls("token")).toBeLessThanOrEqual(2); // at most the two analyses already in flight
    expect(await count(db, "select 1 from messages where status = 'pending'")).toBe(2);
    expect(await count(db, "select 1 from jobs where kind = 'message.analyze' and status = 'pending'")).toBe(
      2,
    );

    // Later runs wait without calling Google.
    const calls = fake.calls("token");
    await makeJobsDue(db);
    await drainMail(db);
    expect(fake.calls("token")).toBe(calls);
    expect(await count(db, "select 1 from messages where status = 'pending'")).toBe(2);

    // The owner signs in again: the mailbox is active and the held analyses go through.
    await connectGmail(db, fake, ADDRESS);
    expect((await mailboxRow(db, mailbox.id)).status).toBe("active");
    await makeJobsDue(db);
    await drainMail(db);
    expect(await count(db, "select 1 from messages where status = 'analyzed'")).toBe(2);
  });
});
