import { describe, expect, it } from "vitest";
import { updateOrganization } from "@/lib/db/accounts";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Mailbox } from "@/lib/db/schemas";
import { loadSamples, type Sample } from "@/lib/samples/samples";
import { keyRing } from "@/lib/security/keys";
import { loadTokens, saveTokens } from "@/lib/security/token-store";
import type { GoogleFake } from "@/lib/testing/google-fake";
import type { FakeMessageSpec } from "@/lib/testing/google-fake-mime";
import {
  count,
  databaseText,
  drainMail,
  makeJobsDue,
  push,
  SUITE_CORRESPONDENTS,
  setUpGmailSuite,
} from "@/tests/gmail-harness";

const ADDRESS = "direction@sahel-negoce.ci";
const samples = new Map(loadSamples().map((s) => [s.id, s]));
let db: PGliteDb;
let fake: GoogleFake;
let mailbox: Mailbox;

setUpGmailSuite({
  address: ADDRESS,
  // The owner has written to the sample set's correspondents: they are known, not strangers.
  correspondents: SUITE_CORRESPONDENTS,
  ready: (suite) => {
    db = suite.db;
    fake = suite.fake;
    // Each scenario counts its own calls, not the sign-up's (watch, Sent-folder backfill).
    fake.resetCounters();
    mailbox = suite.mailbox!;
  },
});

function sampleSpec(id: string): FakeMessageSpec {
  const s = samples.get(id) as Sample;
  return {
    from: `${s.fromName} <${s.from}>`,
    subject: s.subject,
    text: s.text || undefined,
    html: s.html,
    headers: s.headers,
    receivedAt: new Date(s.date),
  };
}

/** Delivers, pushes and drains; "now" is the morning the sample was sent, for its deadline. */
async function receive(spec: FakeMessageSpec) {
  const m = fake.mailbox(ADDRESS).addMessage(spec);
  await push(fake, ADDRESS);
  const sentAt = spec.receivedAt ?? new Date();
  await drainMail(db, { now: () => new Date(sentAt.getTime() + 5 * 60_000) });
  const { rows } = await db.pg.query<Record<string, unknown>>(
    "select * from messages where mailbox_id = $1 and provider_message_id = $2",
    [mailbox.id, m.id],
  );
  return {
    id: m.id,
    row: rows[0] as Record<string, unknown>,
    labels: fake.mailbox(ADDRESS).labelNames(m.id),
  };
}

describe("message.analyze through the Gmail provider", () => {
  it("stores the analysis and the metadata, never the body, and labels the mail in Gmail", async () => {
    const { id, row, labels } = await receive(sampleSpec("c01"));
    expect(row).toMatchObject({
      status: "analyzed",
      priority: "critical",
      from_address: "f.yao@blci-banque.ci",
      subject: "Convention de crédit-bail 48M FCFA : signature avant 16h",
      thread_id: id,
    });
    expect(String(row.summary).length).toBeGreaterThan(10);
    expect(row.amounts).toEqual(expect.arrayContaining([expect.objectContaining({ value: 48_000_000 })]));
    expect(row.deadline).toBeInstanceOf(Date);
    expect(String(row.web_link)).toContain(`#all/${id}`);
    expect(row.auto_actions).toEqual(["label:FluxAsync/Critique"]);

    // The body was read (the analysis has its amount and deadline) but lives nowhere in the database.
    const text = await databaseText(db);
    for (const phrase of [
      "DocuSign (lien envoyé séparément)",
      "Chargé d'affaires Entreprises",
      "+225 27 20 31 44 10",
    ]) {
      expect(text).not.toContain(phrase);
    }

    expect(labels).toContain("FluxAsync/Critique");
    expect(labels).toContain("INBOX");
    expect(labels).toContain("UNREAD");
    expect(fake.calls("messages.get")).toBe(1);
  });

  it("names the label in the organization's language and applies no label when auto-label is off", async () => {
    await updateOrganization(db, mailbox.organizationId, "test", { locale: "en" });
    expect((await receive(sampleSpec("c01"))).labels).toContain("FluxAsync/Critical");

    await updateOrganization(db, mailbox.organizationId, "test", { autoLabel: false });
    const { row, labels } = await receive({ ...sampleSpec("c01"), messageId: "another@blci-banque.ci" });
    expect(row.status).toBe("analyzed");
    expect(labels.filter((l) => l.startsWith("FluxAsync/"))).toEqual([]);
    expect(row.auto_actions).toEqual([]);
  });

  it("leaves spam unread and in the inbox unless the switches allow marking read and archiving", async () => {
    const kept = await receive(sampleSpec("s06"));
    expect(kept.row.priority).toBe("spam");
    expect(kept.labels).toEqual(expect.arrayContaining(["INBOX", "UNREAD", "FluxAsync/Spam"]));

    await updateOrganization(db, mailbox.organizationId, "test", { autoMarkSpamRead: true });
    const read = await receive(sampleSpec("s07"));
    expect(read.row.priority).toBe("spam");
    expect(read.labels).toContain("INBOX");
    expect(read.labels).not.toContain("UNREAD");

    await updateOrganization(db, mailbox.organizationId, "test", { autoArchiveSpam: true });
    const archived = await receive(sampleSpec("s11"));
    expect(archived.row.priority).toBe("spam");
    expect(archived.labels).not.toContain("INBOX");
    expect(archived.labels).not.toContain("UNREAD");
    expect(archived.row.auto_actions).toEqual(["label:FluxAsync/Spam", "mark_read", "archive"]);

    // The switches are about spam only: important mail stays where it is.
    const important = await receive(sampleSpec("c01"));
    expect(important.labels).toEqual(expect.arrayContaining(["INBOX", "UNREAD"]));
  });

  it("skips mail the owner sent (SENT label) without analysing or touching it", async () => {
    const { row, labels } = await receive({
      from: `Direction <${ADDRESS}>`,
      to: "awa@fournisseur.ci",
      subject: "Note à moi-même : payer la facture 2 350 000 FCFA",
      text: "Penser à payer la facture avant vendredi.",
      labels: ["INBOX", "SENT", "UNREAD"],
    });
    expect(row.status).toBe("skipped");
    expect(row.priority).toBeNull();
    expect(labels).toEqual(["INBOX", "SENT", "UNREAD"]);
    expect(fake.calls("messages.modify")).toBe(0);
  });

  it("still triages mail that merely claims to come from the owner's address (it may be spoofed)", async () => {
    const { row } = await receive({
      from: `Direction Générale <${ADDRESS}>`,
      subject: "URGENT : virement de 15 000 000 FCFA à effectuer aujourd'hui",
      text: "Effectuez le virement de 15 000 000 FCFA sur le compte ci-dessous avant 14h, c'est confidentiel.",
    });
    expect(row.status).toBe("analyzed");
    expect(row.priority).not.toBeNull();
  });

  it("skips a message deleted before it could be read", async () => {
    const box = fake.mailbox(ADDRESS);
    const m = box.addMessage({ from: "a@b.ci", subject: "Éphémère", text: "..." });
    await push(fake, ADDRESS);
    await drainMail(db, { kinds: ["mailbox.sync"] });
    box.deleteMessage(m.id);
    await drainMail(db);
    expect(await count(db, "select 1 from messages where status = 'skipped'")).toBe(1);
  });

  it("refreshes a token about to expire once, even for concurrent jobs, and keeps it encrypted", async () => {
    const box = fake.mailbox(ADDRESS);
    for (let i = 0; i < 3; i++) box.addMessage(sampleSpec("c01"));
    await push(fake, ADDRESS);
    await drainMail(db, { kinds: ["mailbox.sync"] });

    // The stored access token now expires within the refresh margin.
    const ring = keyRing();
    const stored = await loadTokens(db, ring, mailbox.id);
    const tokens = stored!.tokens!;
    await saveTokens(db, ring, {
      mailboxId: mailbox.id,
      tokens: { ...tokens, expiresAt: Date.now() + 60_000 },
      previous: null,
      expectedVersion: stored!.version,
    });
    const before = await loadTokens(db, ring, mailbox.id);
    fake.resetCounters();
    await drainMail(db, { concurrency: 3 });

    expect(await count(db, "select 1 from messages where status = 'analyzed'")).toBe(3);
    expect(fake.calls("token")).toBeGreaterThanOrEqual(1);
    const after = await loadTokens(db, ring, mailbox.id);
    // Concurrent refreshes: one stored (compare-and-set), the others re-read it.
    expect(after?.version).toBe(before!.version + 1);
    expect(after?.tokens?.accessToken).not.toBe(tokens.accessToken);
    expect(after?.tokens?.refreshToken).toBe(tokens.refreshToken);
    expect(after!.tokens!.expiresAt).toBeGreaterThan(Date.now() + 3_000_000);
    expect(await databaseText(db)).not.toContain(after?.tokens?.accessToken);
  });

  it("retries a rate-limited fetch later and analyses the message once", async () => {
    fake.fail("messages.get", { status: 429, retryAfterSeconds: 20 });
    const { row } = await receive(sampleSpec("c01"));
    expect(row.status).toBe("pending");
    // Twenty seconds later: the job and the mailbox's throttle are both due.
    await makeJobsDue(db);
    await drainMail(db);
    expect(await count(db, "select 1 from messages where status = 'analyzed'")).toBe(1);
    expect(fake.calls("messages.get")).toBe(2);
    expect(fake.calls("messages.modify")).toBe(1);
  });
});
