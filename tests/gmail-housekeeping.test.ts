import { beforeEach, describe, expect, it } from "vitest";
import type { PGliteDb } from "@/lib/db/pglite";
import { upsertRecipient } from "@/lib/db/recipients";
import type { Mailbox } from "@/lib/db/schemas";
import { claimJobs } from "@/lib/jobs/queue";
import { loadSamples } from "@/lib/samples/samples";
import type { GoogleFake } from "@/lib/testing/google-fake";
import {
  count,
  drainMail,
  makeJobsDue,
  push,
  SUITE_CORRESPONDENTS,
  setUpGmailSuite,
} from "@/tests/gmail-harness";

/*
 * Alert first, housekeeping after (issue 14 item 3): the label, mark-read and archive run in their
 * own job, queued by the router after the alerts; the label ids live in the database per mailbox.
 */

const ADDRESS = "direction@ivoire-logistique.ci";
let db: PGliteDb;
let fake: GoogleFake;
let mailbox: Mailbox;

setUpGmailSuite({
  address: ADDRESS,
  correspondents: SUITE_CORRESPONDENTS,
  ready: (suite) => {
    db = suite.db;
    fake = suite.fake;
    mailbox = suite.mailbox!;
  },
});

// An opted-in recipient, so the router queues an alert for each critical email.
beforeEach(async () => {
  const recipient = await upsertRecipient(db, mailbox.organizationId, "test", {
    name: "Awa Koné",
    phone: "+2250707123456",
  });
  await db.pg.query("update recipients set status = 'opted_in', opted_in_at = now() where id = $1", [
    recipient.id,
  ]);
  fake.resetCounters();
});

// A sample the fallback classifier reads as critical (a deadline today), received "now".
const c01 = loadSamples().find((x) => x.id === "c01")!;
const sentAt = new Date(c01.date);
const now = () => new Date(sentAt.getTime() + 5 * 60_000);
const critical = (tag: string) => ({
  from: `${c01.fromName} <${c01.from}>`,
  subject: `${c01.subject} ${tag}`,
  text: c01.text || undefined,
  html: c01.html,
  headers: c01.headers,
  receivedAt: sentAt,
});

async function receive(tag: string) {
  const m = fake.mailbox(ADDRESS).addMessage(critical(tag));
  await push(fake, ADDRESS);
  await drainMail(db, { now });
  return m.id;
}

async function autoActions(providerMessageId: string): Promise<string[]> {
  const { rows } = await db.pg.query<{ auto_actions: string[] }>(
    "select auto_actions from messages where mailbox_id = $1 and provider_message_id = $2",
    [mailbox.id, providerMessageId],
  );
  return rows[0]!.auto_actions;
}

const storedLabels = async () =>
  (
    await db.pg.query<{ name: string; label_id: string }>(
      "select name, label_id from mailbox_labels where mailbox_id = $1",
      [mailbox.id],
    )
  ).rows;

describe("mailbox housekeeping after the alert", () => {
  it("queues the alert and the housekeeping together, claims the alert first, and a failing label never holds it back", async () => {
    const m = fake.mailbox(ADDRESS).addMessage(critical("#1"));
    await push(fake, ADDRESS);
    await drainMail(db, { now, kinds: ["mailbox.sync", "message.analyze", "message.analyzed"] });
    // Analysed, its label decided but not applied yet: nothing between Gemini and the alert.
    expect(await autoActions(m.id)).toEqual(["pending:label:FluxAsync/Critique"]);
    expect(fake.calls("messages.modify")).toBe(0);
    expect(
      await count(db, "select 1 from jobs where kind = 'message.housekeeping' and status = 'pending'"),
    ).toBe(1);
    const [first] = await claimJobs(db, { limit: 1, leaseSeconds: 30 });
    expect(first?.kind).toBe("alert.send");
    // Put back as it was, so what follows shows the housekeeping alone acting on it.
    await db.pg.query(
      "update jobs set status = 'pending', lease_token = null, leased_until = null, attempts = 0 where id = $1",
      [first!.id],
    );

    // Gmail refuses every modify: the housekeeping retries on its own, the alert is untouched.
    fake.fail("messages.modify", { status: 500, times: 20 });
    for (let i = 0; i < 6; i++) {
      await drainMail(db, { now, kinds: ["message.housekeeping"] });
      await makeJobsDue(db);
    }
    const jobs = await db.pg.query<{ kind: string; status: string; attempts: number }>(
      "select kind, status, attempts from jobs where kind in ('alert.send', 'message.housekeeping') order by kind",
    );
    expect(jobs.rows).toEqual([
      { kind: "alert.send", status: "pending", attempts: 0 },
      { kind: "message.housekeeping", status: "dead", attempts: 6 },
    ]);
    // The last attempt says it failed (the alert and the email page show « non appliqué »).
    expect(await autoActions(m.id)).toEqual(["failed:label:FluxAsync/Critique"]);
  });

  it("stores the label id per mailbox once: later emails call messages.modify only", async () => {
    const a = await receive("#a");
    expect(await autoActions(a)).toEqual(["label:FluxAsync/Critique"]);
    expect(fake.mailbox(ADDRESS).labelNames(a)).toContain("FluxAsync/Critique");
    const stored = await storedLabels();
    expect(stored).toEqual([{ name: "fluxasync/critique", label_id: expect.stringMatching(/^Label_/) }]);
    expect(fake.calls("labels.create")).toBe(1);

    fake.resetCounters();
    const b = await receive("#b");
    expect(fake.mailbox(ADDRESS).labelNames(b)).toContain("FluxAsync/Critique");
    expect(fake.calls("labels.list")).toBe(0);
    expect(fake.calls("labels.create")).toBe(0);
    expect(fake.calls("messages.modify")).toBe(1);
  });

  it("re-creates the label when the user deleted it in Gmail, and stores the new id", async () => {
    await receive("#c");
    const [before] = await storedLabels();
    fake.mailbox(ADDRESS).deleteLabel("FluxAsync/Critique");
    fake.resetCounters();
    const d = await receive("#d");
    expect(fake.mailbox(ADDRESS).labelNames(d)).toContain("FluxAsync/Critique");
    expect(await autoActions(d)).toEqual(["label:FluxAsync/Critique"]);
    const [after] = await storedLabels();
    expect(after?.label_id).not.toBe(before?.label_id);
    expect(fake.calls("labels.create")).toBe(1);
    expect(fake.calls("messages.modify")).toBe(2);
  });

  it("never analyses an email again because of our own label change", async () => {
    const e = await receive("#e");
    expect(fake.mailbox(ADDRESS).labelNames(e)).toContain("FluxAsync/Critique");
    fake.resetCounters();
    // Gmail pushes our own change (a labelAdded record): the sync reads it and records nothing.
    await push(fake, ADDRESS);
    await drainMail(db, { now });
    expect(fake.calls("history.list")).toBeGreaterThanOrEqual(1);
    expect(fake.calls("messages.get")).toBe(0);
    expect(await count(db, "select 1 from messages where mailbox_id = $1", [mailbox.id])).toBe(1);
    expect(await count(db, "select 1 from jobs where kind = 'message.analyze'")).toBe(1);
  });
});
