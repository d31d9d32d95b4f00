import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { message } from "@/lib/analysis/test-helpers";
import { setDbForTests } from "@/lib/db/client";
import { disconnectMailbox } from "@/lib/db/mailboxes";
import type { PGliteDb } from "@/lib/db/pglite";
import { getRelationshipProgress } from "@/lib/db/relationships";
import type { Mailbox } from "@/lib/db/schemas";
import { env } from "@/lib/env";
import { enqueue } from "@/lib/jobs/enqueue";
import { openMailbox } from "@/lib/jobs/mailbox-access";
import { reencryptRelationshipKeys, relationshipFacts } from "@/lib/jobs/relationship-hasher";
import { relationshipSyncJob } from "@/lib/jobs/relationship-sync";
import { listGmailSent } from "@/lib/mail/gmail/sent";
import { parseKeyRing } from "@/lib/security/key-ring";
import { keyRing } from "@/lib/security/keys";
import { open } from "@/lib/security/vault";
import { testDb } from "@/lib/testing/db";
import { createGoogleFake, type GoogleFake } from "@/lib/testing/google-fake";
import { createMicrosoftFake } from "@/lib/testing/microsoft-fake";
import { server } from "@/lib/testing/msw";
import { connectGmail, count, drainMail, push, resetDb, seedSentMail } from "@/tests/gmail-harness";
import {
  connectOutlook,
  drain,
  liveSubscription,
  newUser,
  postToWebhook,
  seedSentItems,
} from "@/tests/outlook-harness";

/*
 * The relationship store end to end: the Sent folder read at connect (bounded backfill), kept
 * current as the owner sends mail, looked up for each email, forgotten when the mailbox goes, and
 * never holding an address in clear.
 */

const ADDRESS = "dg@sahel-negoce.ci";
let db: PGliteDb;
let google: GoogleFake;

beforeAll(async () => {
  db = await testDb();
  setDbForTests(db);
});
afterAll(async () => {
  setDbForTests(undefined);
  await db.close();
});
beforeEach(async () => {
  await resetDb(db);
  google = createGoogleFake({ topicName: env.GMAIL_PUBSUB_TOPIC });
  server.use(...google.handlers);
});

const from = (address: string, headers: Record<string, string> = {}) =>
  message({ from: { name: null, address }, headers, subject: "Point", text: "Bonjour" });
const lookup = async (mailbox: Mailbox, address: string, headers: Record<string, string> = {}) =>
  (await relationshipFacts(db, mailbox, from(address, headers))).facts;

async function entriesText(): Promise<string> {
  const { rows } = await db.pg.query<{ t: string }>(
    "select row_to_json(e)::text as t from relationship_entries e",
  );
  return rows.map((r) => r.t).join("\n");
}

describe("on Gmail", () => {
  it("backfills the Sent folder at connect, then learns what the owner sends next", async () => {
    seedSentMail(google, ADDRESS, ["f.yao@blci-banque.ci", "m.diallo@transit-lagune.ci"]);
    // Older than the backfill's 12 months: not read.
    google.mailbox(ADDRESS).addMessage({
      from: ADDRESS,
      to: "ancien@oublie.ci",
      subject: "Vieux",
      text: "x",
      labels: ["SENT"],
      receivedAt: new Date(Date.now() - 400 * 86_400_000),
    });
    const mailbox = await connectGmail(db, google, ADDRESS);
    expect((await getRelationshipProgress(db, mailbox.id))?.state).toBe("current");
    expect(await lookup(mailbox, "f.yao@blci-banque.ci")).toMatchObject({ addressSent: 1, domainSent: 1 });
    expect(await lookup(mailbox, "dg@blci-banque.ci")).toMatchObject({ addressSent: 0, domainSent: 1 });
    expect(await lookup(mailbox, "ancien@oublie.ci")).toMatchObject({ addressSent: 0 });

    // The owner writes to someone new; the next sync's relationship run reads it from history.
    const sent = google.mailbox(ADDRESS).addMessage({
      from: ADDRESS,
      to: "p.ndiaye@teranga.sn",
      subject: "Partenariat",
      text: "Bonjour",
      labels: ["SENT"],
      messageId: "partenariat-1@sahel-negoce.ci",
    });
    await push(google, ADDRESS, sent.historyId);
    await drainMail(db);
    expect(await lookup(mailbox, "p.ndiaye@teranga.sn")).toMatchObject({ addressSent: 1 });
    // Their reply in that thread is recognised as the owner's thread, whoever answers.
    const reply = await lookup(mailbox, "assistante@autre.sn", {
      "in-reply-to": "<partenariat-1@sahel-negoce.ci>",
    });
    expect(reply.thread).toBe(true);
    // A look-alike of a known domain, in a money email.
    const spoof = await relationshipFacts(db, mailbox, {
      ...from("compta@blci-banqve.ci"),
      text: "Merci de régler la facture sur notre nouveau compte.",
    });
    expect(spoof.facts.lookalike).toBe(true);

    // Hashes only: no address, domain or Message-ID in clear.
    const text = await entriesText();
    for (const clear of ["blci-banque", "f.yao", "teranga", "partenariat-1"])
      expect(text).not.toContain(clear);
  });

  it("reads the Sent folder again only when the synced changes hold sent mail", async () => {
    seedSentMail(google, ADDRESS, ["f.yao@blci-banque.ci"]);
    const mailbox = await connectGmail(db, google, ADDRESS);
    google.resetCounters();

    // An arrival: one history.list (the inbox sync's), no relationship read queued.
    const arrival = google
      .mailbox(ADDRESS)
      .addMessage({ from: "client@abidjan.ci", to: ADDRESS, subject: "Devis", text: "Bonjour" });
    await push(google, ADDRESS, arrival.historyId);
    await drainMail(db);
    expect(google.calls("history.list")).toBe(1);

    // The owner sends: the inbox sync sees it in the same history page and the store reads it.
    const sent = google.mailbox(ADDRESS).addMessage({
      from: ADDRESS,
      to: "p.ndiaye@teranga.sn",
      subject: "Partenariat",
      text: "Bonjour",
      labels: ["SENT"],
    });
    await push(google, ADDRESS, sent.historyId);
    await drainMail(db);
    expect(google.calls("history.list")).toBe(3);
    expect(await lookup(mailbox, "p.ndiaye@teranga.sn")).toMatchObject({ addressSent: 1 });
  });

  it("counts each sent email once when a page is read twice", async () => {
    seedSentMail(google, ADDRESS, ["f.yao@blci-banque.ci"]);
    const mailbox = await connectGmail(db, google, ADDRESS);
    await db.pg.query(
      "update mailboxes set relationship_cursor = null, relationship_state = 'backfilling' where id = $1",
      [mailbox.id],
    );
    await enqueue(db, relationshipSyncJob, { mailboxId: mailbox.id });
    await drainMail(db);
    expect(await lookup(mailbox, "f.yao@blci-banque.ci")).toMatchObject({ addressSent: 1 });
  });

  it("stops the backfill at its limit and costs 5 units per sent email plus one listing per page", async () => {
    for (let i = 0; i < 7; i++) seedSentMail(google, ADDRESS, [`c${i}@client-${i}.ci`]);
    const mailbox = await connectGmail(db, google, ADDRESS);
    google.resetCounters();
    // Read through the provider directly with a small limit: 3 of 7, then incremental.
    const access = await openMailbox(db, mailbox);
    const first = await listGmailSent(
      access.access.accessToken,
      { cursor: null, since: new Date(0), maxMessages: 2, backfillLimit: 3 },
      {},
    );
    expect(first).toMatchObject({ phase: "backfill" });
    expect(first.mails).toHaveLength(2);
    const second = await listGmailSent(
      access.access.accessToken,
      { cursor: first.cursor, since: new Date(0), maxMessages: 2, backfillLimit: 3 },
      {},
    );
    expect(second.mails).toHaveLength(1);
    expect(second.phase).toBe("incremental");
    expect(google.calls("messages.get")).toBe(3);
    expect(google.calls("messages.list")).toBe(2);
  });

  it("forgets a mailbox's relationships when it is disconnected", async () => {
    seedSentMail(google, ADDRESS, ["f.yao@blci-banque.ci"]);
    const mailbox = await connectGmail(db, google, ADDRESS);
    expect(
      await count(db, "select 1 from relationship_entries where mailbox_id = $1", [mailbox.id]),
    ).toBeGreaterThan(0);
    await disconnectMailbox(db, mailbox.organizationId, mailbox.id, "test");
    expect(await count(db, "select 1 from relationship_entries where mailbox_id = $1", [mailbox.id])).toBe(0);
    expect((await getRelationshipProgress(db, mailbox.id))?.state).toBe("pending");
  });
});

describe("the organization's key", () => {
  it("is created once, sealed in the vault, and survives key rotation with the same hashes", async () => {
    seedSentMail(google, ADDRESS, ["f.yao@blci-banque.ci"]);
    const mailbox = await connectGmail(db, google, ADDRESS);
    const { rows } = await db.pg.query<{ c: string }>(
      "select relationship_key_ciphertext as c from organizations where id = $1",
      [mailbox.organizationId],
    );
    const sealed = rows[0]?.c ?? "";
    expect(sealed.split(".")).toHaveLength(5); // compact JWE, never the key itself
    const current = keyRing();
    const next = parseKeyRing(
      `k9:${randomBytes(32).toString("base64")},${current.current.kid}:${Buffer.from(current.current.key).toString("base64")}`,
    );
    expect(await reencryptRelationshipKeys(db, next)).toEqual({ checked: 1, reencrypted: 1 });
    expect(await reencryptRelationshipKeys(db, next)).toEqual({ checked: 1, reencrypted: 0 });
    const after = await db.pg.query<{ c: string }>(
      "select relationship_key_ciphertext as c from organizations where id = $1",
      [mailbox.organizationId],
    );
    expect(await open(next, after.rows[0]?.c ?? "")).toBe(await open(current, sealed));
  });
});

describe("on Outlook", () => {
  const ms = createMicrosoftFake();
  beforeEach(() => server.use(...ms.handlers));

  it("backfills Sent Items, then follows their delta", async () => {
    const user = newUser(ms);
    seedSentItems(ms, user, ["f.yao@blci-banque.ci"]);
    const mailbox = await connectOutlook(db, ms, user);
    await drain(db);
    expect((await getRelationshipProgress(db, mailbox.id))?.state).toBe("current");
    expect(await lookup(mailbox, "f.yao@blci-banque.ci")).toMatchObject({ addressSent: 1 });

    // Sent after the backfill: the delta opened at connect returns it.
    seedSentItems(ms, user, ["nouveau@client.ci"], new Date());
    await enqueue(db, relationshipSyncJob, { mailboxId: mailbox.id });
    await drain(db);
    expect(await lookup(mailbox, "nouveau@client.ci")).toMatchObject({ addressSent: 1 });
    expect(ms.calls["sent.list"]).toBeGreaterThanOrEqual(1);
  });

  it("reads Sent Items again when the inbox delta brings new mail, not for a change to known mail", async () => {
    const user = newUser(ms);
    const known = ms.addMessage(user, { subject: "Déjà là" });
    const mailbox = await connectOutlook(db, ms, user);
    await drain(db);
    const subscription = liveSubscription(ms, user);
    seedSentItems(ms, user, ["nouveau@client.ci"], new Date());

    // A notification for a message the mailbox already holds (our own category change, say):
    // the inbox delta brings nothing new, so nothing asks for the Sent Items.
    expect((await postToWebhook(ms.notificationBody(subscription.id, [known.id]))).status).toBe(202);
    await drain(db);
    expect(await lookup(mailbox, "nouveau@client.ci")).toMatchObject({ addressSent: 0 });

    // New mail: the same sync reads what the owner sent meanwhile.
    const arrival = ms.addMessage(user, { subject: "Nouveau" });
    expect((await postToWebhook(ms.notificationBody(subscription.id, [arrival.id]))).status).toBe(202);
    await drain(db);
    expect(await lookup(mailbox, "nouveau@client.ci")).toMatchObject({ addressSent: 1 });
  });
});
