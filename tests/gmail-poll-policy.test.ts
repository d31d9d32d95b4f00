import { describe, expect, it } from "vitest";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Mailbox } from "@/lib/db/schemas";
import type { GoogleFake } from "@/lib/testing/google-fake";
import { connectGmail, cron, deliver, drainMail, push, setUpGmailSuite } from "@/tests/gmail-harness";

const ADDRESS = "direction@sahel-negoce.ci";
const QUIET = "compta@batiplus.ci";
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

const poll = async () => ((await (await cron("poll")).json()) as { enqueued: number }).enqueued;
const ago = (id: string, column: "last_push_at" | "last_polled_at", minutes: number) =>
  db.pg.query(`update mailboxes set ${column} = now() - make_interval(mins => $2) where id = $1`, [
    id,
    minutes,
  ]);

describe("the fallback poll polls what needs polling", () => {
  it("skips a mailbox whose push works, polls it hourly, and at once when its push falls silent", async () => {
    deliver(fake, ADDRESS, 1);
    await push(fake, ADDRESS);
    // Never polled yet: the first poll takes it, then the pushes carry it.
    expect(await poll()).toBe(1);
    await drainMail(db);
    expect(await poll()).toBe(0);
    deliver(fake, ADDRESS, 1);
    await push(fake, ADDRESS);
    await drainMail(db);
    expect(await poll()).toBe(0);
    // At least hourly, whatever the push says.
    await ago(mailbox.id, "last_polled_at", 56);
    expect(await poll()).toBe(1);
    await drainMail(db);
    // Push silent for longer than its usual gap (at least 15 minutes): polled, every 15 minutes
    // during the first hour of the silence.
    await ago(mailbox.id, "last_push_at", 20);
    expect(await poll()).toBe(0); // polled a moment ago
    await ago(mailbox.id, "last_polled_at", 16);
    expect(await poll()).toBe(1);
    // A silence past its first hour (a night, a weekend) is no news: back to the hourly poll.
    await ago(mailbox.id, "last_push_at", 180);
    await ago(mailbox.id, "last_polled_at", 16);
    expect(await poll()).toBe(0);
    await ago(mailbox.id, "last_polled_at", 56);
    expect(await poll()).toBe(1);
    const { rows } = await db.pg.query<{ gap: number | null }>(
      "select push_gap_seconds as gap from mailboxes where id = $1",
      [mailbox.id],
    );
    expect(rows[0]?.gap).toBeGreaterThanOrEqual(0);
  });

  it("polls every time a mailbox with no push heard, or whose watch lapsed", async () => {
    const quiet = await connectGmail(db, fake, QUIET);
    // The first mailbox's push works and it was just polled: only the quiet one is due.
    await push(fake, ADDRESS);
    await db.pg.query("update mailboxes set last_polled_at = now() where id = $1", [mailbox.id]);
    expect(await poll()).toBe(1); // the quiet one: no push heard yet
    expect(await poll()).toBe(1);
    await push(fake, QUIET);
    await db.pg.query("update mailboxes set watch_expires_at = now() - interval '1 hour' where id = $1", [
      quiet.id,
    ]);
    expect(await poll()).toBe(1); // its watch lapsed: push cannot be trusted
    await drainMail(db);
  });
});
