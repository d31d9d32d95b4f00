import { describe, expect, it } from "vitest";
import { gmailQuotaFromEnv } from "@/lib/config/mail-providers";
import { getMailbox } from "@/lib/db/mailboxes";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Mailbox } from "@/lib/db/schemas";
import { getJob } from "@/lib/jobs/queue";
import { recordMessages } from "@/lib/jobs/record-messages";
import type { GoogleFake } from "@/lib/testing/google-fake";
import {
  connectGmail,
  count,
  deliver,
  drainMail,
  dyingDb,
  mailboxRow,
  makeJobsDue,
  push,
  recordedIds,
  setUpGmailSuite,
} from "@/tests/gmail-harness";

const ADDRESS = "direction@sahel-negoce.ci";
let db: PGliteDb;
let fake: GoogleFake;
let mailbox: Mailbox;

setUpGmailSuite({
  address: ADDRESS,
  ready: (suite) => {
    db = suite.db;
    fake = suite.fake;
    mailbox = suite.mailbox!;
    // Count only what each scenario's syncs call, not the sign-up's own first sync.
    fake.resetCounters();
  },
});

const syncOnly = { kinds: ["mailbox.sync"] };
const inboxIds = () =>
  [...fake.mailbox(ADDRESS).messages.values()]
    .filter((m) => m.labelIds.includes("INBOX"))
    .map((m) => m.id)
    .sort();
const analyzeJobs = () => count(db, "select 1 from jobs where kind = 'message.analyze'");
const syncJob = () => getJob(db, `sync:${mailbox.id}`);

describe("mailbox.sync", () => {
  it("syncs from the stored cursor, not from the push's history id", async () => {
    deliver(fake, ADDRESS, 3);
    // A push naming an id far ahead must not make the sync skip what lies before it.
    await push(fake, ADDRESS, String(Number(fake.mailbox(ADDRESS).historyId) + 1000));
    await drainMail(db, syncOnly);
    expect(await recordedIds(db, mailbox.id)).toEqual(inboxIds());
    expect((await mailboxRow(db, mailbox.id)).cursor).toBe(fake.mailbox(ADDRESS).historyId);
  });

  it("keeps inbox arrivals only: no drafts, nothing outside the inbox", async () => {
    deliver(fake, ADDRESS, 2);
    deliver(fake, ADDRESS, 1, { labels: ["DRAFT"] });
    deliver(fake, ADDRESS, 1, { labels: ["SENT"] });
    deliver(fake, ADDRESS, 1, { labels: ["INBOX", "DRAFT"] });
    await push(fake, ADDRESS);
    await drainMail(db, syncOnly);
    expect(await recordedIds(db, mailbox.id)).toHaveLength(2);
    expect(await analyzeJobs()).toBe(2);
  });

  it("reads history across several pages, including mail arriving mid-sync", async () => {
    deliver(fake, ADDRESS, 1001);
    fake.onNext("history.list", () => {}); // page 1
    fake.onNext("history.list", () => {
      deliver(fake, ADDRESS, 1, { subject: "Arrivé pendant la synchronisation" });
    });
    await push(fake, ADDRESS);
    await drainMail(db, syncOnly);
    expect(fake.calls("history.list")).toBe(3);
    const recorded = await recordedIds(db, mailbox.id);
    expect(recorded.length).toBeGreaterThanOrEqual(1001);
    expect(await analyzeJobs()).toBe(recorded.length);

    // Whatever the paging missed, the next sync picks up from the stored cursor: no gap, no double.
    await push(fake, ADDRESS);
    await drainMail(db, syncOnly);
    expect(await recordedIds(db, mailbox.id)).toEqual(inboxIds());
    expect(inboxIds()).toHaveLength(1002);
    expect(await analyzeJobs()).toBe(1002);
  });

  it("runs a bounded full sync when the cursor expired: no gap, no duplicate, then history again", async () => {
    const box = fake.mailbox(ADDRESS);
    const [seen] = deliver(fake, ADDRESS, 1);
    await push(fake, ADDRESS);
    await drainMail(db, syncOnly);
    expect(await recordedIds(db, mailbox.id)).toEqual([seen?.id]);

    // Pushes lost, mail keeps arriving, and Gmail forgets the history behind the stored cursor.
    const gap = deliver(fake, ADDRESS, 3);
    // Bounded: mail dated long before the last sync (an import) is not dragged in.
    deliver(fake, ADDRESS, 1, { receivedAt: new Date(Date.now() - 30 * 86_400_000), subject: "Vieux" });
    box.expireAllHistory();
    await push(fake, ADDRESS);
    await drainMail(db, syncOnly);

    expect(fake.calls("messages.list")).toBe(1);
    const recorded = await recordedIds(db, mailbox.id);
    for (const m of [seen, ...gap]) expect(recorded).toContain(m?.id);
    expect(recorded).toHaveLength(4);
    expect(await analyzeJobs()).toBe(4);
    const row = await mailboxRow(db, mailbox.id);
    expect(row.cursor).toBe(box.historyId);

    // Back on history from the new cursor.
    const [later] = deliver(fake, ADDRESS, 1);
    await push(fake, ADDRESS);
    await drainMail(db, syncOnly);
    expect(fake.calls("messages.list")).toBe(1);
    expect(await recordedIds(db, mailbox.id)).toContain(later?.id);
    expect(await analyzeJobs()).toBe(5);
  });

  it("catches up from the sign-up, not two weeks back, when the cursor expires before any sync", async () => {
    // A second mailbox whose inbox already held mail from before it was connected.
    const address = "compta@sahel-negoce.ci";
    const box = fake.mailbox(address);
    box.addMessage({
      from: "a@b.ci",
      subject: "Avant",
      text: "…",
      receivedAt: new Date(Date.now() - 5 * 86_400_000),
    });
    const fresh = await connectGmail(db, fake, address);
    // Count the catch-up's listing only, not the Sent-folder reading at connect.
    fake.resetCounters();
    const [after] = deliver(fake, address, 1);
    box.expireAllHistory();
    await push(fake, address);
    await drainMail(db, syncOnly);
    expect(fake.calls("messages.list")).toBe(1);
    expect(await recordedIds(db, fresh.id)).toEqual([after?.id]);
  });

  it("catches up on every inbox message of the window after an expired cursor, not only the newest 500", async () => {
    const all = deliver(fake, ADDRESS, 1_203);
    fake.mailbox(ADDRESS).expireAllHistory();
    await push(fake, ADDRESS);
    await drainMail(db, syncOnly);
    expect(fake.calls("messages.list")).toBe(3);
    expect((await recordedIds(db, mailbox.id)).length).toBe(1_203);
    expect(await recordedIds(db, mailbox.id)).toEqual(all.map((m) => m.id).sort());
    expect((await mailboxRow(db, mailbox.id)).cursor).toBe(fake.mailbox(ADDRESS).historyId);
    expect(await count(db, "select 1 from mailbox_sync_state where catch_up is not null")).toBe(0);
  });

  it("pauses a catch-up when the mailbox's quota window is spent and resumes at the next page, not from the start", async () => {
    deliver(fake, ADDRESS, 1_203);
    fake.mailbox(ADDRESS).expireAllHistory();
    // The window holds just enough for the expired history call and one page (getProfile + messages.list).
    const budget = gmailQuotaFromEnv().perUserPerMinute;
    await db.pg.query(
      "insert into mailbox_sync_state (mailbox_id, units_used) values ($1, $2) on conflict (mailbox_id) do update set units_used = $2, window_started_at = now()",
      [mailbox.id, budget - 8],
    );
    await push(fake, ADDRESS);
    const first = await drainMail(db, syncOnly);
    expect(first.deferred).toBe(1);
    expect(fake.calls("messages.list")).toBe(1);
    expect((await recordedIds(db, mailbox.id)).length).toBe(500);
    expect((await mailboxRow(db, mailbox.id)).cursor).toBe(mailbox.cursor);
    expect((await syncJob())?.attempts).toBe(0);

    await makeJobsDue(db);
    await drainMail(db, syncOnly);
    expect(fake.calls("messages.list")).toBe(3);
    expect(fake.calls("history.list")).toBe(1);
    expect((await recordedIds(db, mailbox.id)).length).toBe(1_203);
    expect((await mailboxRow(db, mailbox.id)).cursor).toBe(fake.mailbox(ADDRESS).historyId);
  });

  it("makes every job of the mailbox wait while its per-user quota is spent, without calling Gmail or spending attempts", async () => {
    deliver(fake, ADDRESS, 2);
    await push(fake, ADDRESS);
    await drainMail(db, syncOnly);
    expect(await analyzeJobs()).toBe(2);
    await db.pg.query(
      "update mailbox_sync_state set units_used = $2, window_started_at = now() where mailbox_id = $1",
      [mailbox.id, gmailQuotaFromEnv().perUserPerMinute],
    );
    fake.resetCounters();
    const blocked = await drainMail(db);
    expect(blocked.deferred).toBe(2);
    expect(fake.calls("messages.get")).toBe(0);
    await makeJobsDue(db);
    await drainMail(db);
    expect(fake.calls("messages.get")).toBe(2);
    // What the analyses cost is charged to the mailbox's window.
    const { rows } = await db.pg.query<{ units_used: number }>(
      "select units_used from mailbox_sync_state where mailbox_id = $1",
      [mailbox.id],
    );
    expect(rows[0]!.units_used).toBeGreaterThanOrEqual(2 * gmailQuotaFromEnv().costs["messages.get"]);
  });

  it("retries after a 429 without losing or doubling anything", async () => {
    deliver(fake, ADDRESS, 4);
    fake.fail("history.list", { status: 429, retryAfterSeconds: 30 });
    await push(fake, ADDRESS);
    const first = await drainMail(db, syncOnly);
    expect(first.failed).toBe(1);
    const job = await syncJob();
    expect(job?.status).toBe("pending");
    expect(job?.lastError).toMatch(/rate limited/);
    expect(job!.runAt.getTime() - Date.now()).toBeGreaterThan(20_000);
    expect(await recordedIds(db, mailbox.id)).toEqual([]);
    expect((await mailboxRow(db, mailbox.id)).cursor).toBe(mailbox.cursor);

    // Not due yet: a drain now leaves it alone.
    expect((await drainMail(db, syncOnly)).claimed).toBe(0);
    await makeJobsDue(db);
    await drainMail(db, syncOnly);
    expect(await recordedIds(db, mailbox.id)).toEqual(inboxIds());
    expect((await syncJob())?.status).toBe("done");
  });

  it("retries with backoff after a Gmail 503 on a later history page", async () => {
    deliver(fake, ADDRESS, 501);
    // A fault queued from the second call's hook answers that very call.
    fake.onNext("history.list", () => {});
    fake.onNext("history.list", () => fake.fail("history.list", { status: 503 }));
    await push(fake, ADDRESS);
    await drainMail(db, syncOnly);
    expect(fake.calls("history.list")).toBe(2);
    expect(await recordedIds(db, mailbox.id)).toEqual([]);
    expect((await mailboxRow(db, mailbox.id)).cursor).toBe(mailbox.cursor);
    expect((await syncJob())?.status).toBe("pending");

    await makeJobsDue(db);
    await drainMail(db, syncOnly);
    expect(await recordedIds(db, mailbox.id)).toEqual(inboxIds());
    expect(await analyzeJobs()).toBe(501);
  });

  it("after dying with half the messages recorded, the rerun records the rest and nothing twice", async () => {
    deliver(fake, ADDRESS, 6);
    await push(fake, ADDRESS);
    // The process dies inside the recording: half the ids are in, then nothing more happens.
    const dying = dyingDb(db, "mailbox_record_messages", async (args) => {
      const items = args.p_messages as unknown[];
      await db.rpc("mailbox_record_messages", { ...args, p_messages: items.slice(0, 3) });
      throw new Error("function instance killed");
    });
    await drainMail(dying, syncOnly);
    expect(await recordedIds(db, mailbox.id)).toHaveLength(3);
    expect((await mailboxRow(db, mailbox.id)).cursor).toBe(mailbox.cursor);

    await makeJobsDue(db);
    await drainMail(db, syncOnly);
    expect(await recordedIds(db, mailbox.id)).toEqual(inboxIds());
    expect(await analyzeJobs()).toBe(6);
  });

  it("after dying between recording and moving the cursor, the rerun records nothing twice", async () => {
    deliver(fake, ADDRESS, 3);
    await push(fake, ADDRESS);
    const dying = dyingDb(db, "mailbox_advance_cursor", async () => {
      throw new Error("function instance killed");
    });
    await drainMail(dying, syncOnly);
    expect(await recordedIds(db, mailbox.id)).toEqual(inboxIds());
    expect((await mailboxRow(db, mailbox.id)).cursor).toBe(mailbox.cursor);

    deliver(fake, ADDRESS, 1);
    await makeJobsDue(db);
    await drainMail(db, syncOnly);
    expect(await recordedIds(db, mailbox.id)).toEqual(inboxIds());
    expect(await analyzeJobs()).toBe(4);
    expect((await mailboxRow(db, mailbox.id)).cursor).toBe(fake.mailbox(ADDRESS).historyId);
  });

  it("records only what is left when part of the change set was recorded already", async () => {
    const sent = deliver(fake, ADDRESS, 4);
    const { recorded } = await recordMessages(
      db,
      mailbox.id,
      sent.slice(0, 2).map((m) => m.id),
    );
    expect(recorded).toBe(2);
    await push(fake, ADDRESS);
    await drainMail(db, syncOnly);
    expect(await recordedIds(db, mailbox.id)).toEqual(inboxIds());
    expect(await analyzeJobs()).toBe(4);
    expect((await getMailbox(db, mailbox.id))?.lastSyncedAt).not.toBeNull();
  });
});
