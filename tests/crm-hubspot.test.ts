import { beforeEach, describe, expect, it } from "vitest";
import { crmProviderFor, crmRedirectUri } from "@/lib/config/crm-providers";
import { HUBSPOT_SCOPES } from "@/lib/crm/hubspot/oauth";
import { getCrmConnection, getCrmStatus } from "@/lib/db/crm";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Mailbox } from "@/lib/db/schemas";
import { connectOAuthCrm, disconnectOrganizationCrm } from "@/lib/jobs/crm-connect";
import { logger } from "@/lib/log";
import { createPkce, randomState } from "@/lib/mail/oauth/pkce";
import type { GoogleFake } from "@/lib/testing/google-fake";
import { createHubSpotFake, type HubSpotFake } from "@/lib/testing/hubspot-fake";
import { server } from "@/lib/testing/msw";
import {
  BODY_MARKER,
  CRM_MAILBOX,
  contractEmail,
  drainCrm,
  runCrmJobsNow,
  syncPass,
} from "@/tests/crm-harness";
import { drainMail, push, setUpGmailSuite } from "@/tests/gmail-harness";

/*
 * HubSpot end to end against its fake: connect (OAuth with PKCE), the sync through HubSpot's
 * paging with its rate limit and an access token that expires mid-sync, the key-client signal,
 * the note and the task on the contact with their associations, idempotency, a deleted contact,
 * revocation on disconnect, and what leaves for HubSpot (metadata and our summary only).
 */

let db: PGliteDb;
let google: GoogleFake;
let mailbox: Mailbox;
let hubspot: HubSpotFake;

setUpGmailSuite({
  address: CRM_MAILBOX,
  ready: (suite) => {
    db = suite.db;
    google = suite.fake;
    mailbox = suite.mailbox!;
  },
});

beforeEach(() => {
  hubspot = createHubSpotFake();
  server.use(...hubspot.handlers);
});

const log = logger({ test: "crm-hubspot" });

/** A CRM with one key client (15 M FCFA open deal), a small client, and `others` more contacts. */
function seed(others = 250) {
  const awa = hubspot.addOwner("Awa", "Koné");
  const bank = hubspot.addCompany("Banque Atlantique", "banque-atlantique.ci");
  const fatou = hubspot.addContact({
    email: "f.yao@banque-atlantique.ci",
    ownerId: awa,
    companyId: bank,
    company: "Banque Atlantique",
  });
  const deal = hubspot.addDeal({
    name: "Contrat 2027",
    amount: 15_000_000,
    contactIds: [fatou],
    companyId: bank,
    ownerId: awa,
  });
  hubspot.addDeal({ name: "Ancien contrat", amount: 90_000_000, closed: true, contactIds: [fatou] });
  const moussa = hubspot.addContact({ email: "m.diallo@transit-lagune.ci", ownerId: awa });
  for (let i = 0; i < others; i++)
    hubspot.addContact({ email: `client${i}@exemple${i}.ci`, lifecycle: "lead" });
  return { awa, bank, fatou, deal, moussa };
}

async function connect(scopes: string[] = [...HUBSPOT_SCOPES]) {
  const oauth = crmProviderFor("hubspot", db).oauth!;
  const pkce = createPkce();
  const state = randomState();
  const redirectUri = crmRedirectUri("hubspot");
  const url = oauth.authorizationUrl({ state, codeChallenge: pkce.challenge, redirectUri });
  const back = new URL(hubspot.oauth.consent(url, hubspot.grant(scopes)));
  expect(back.searchParams.get("state")).toBe(state);
  const grant = await oauth.exchangeCode({
    code: back.searchParams.get("code")!,
    codeVerifier: pkce.verifier,
    redirectUri,
    callback: back.searchParams,
  });
  if (!grant.ok) return grant;
  const conn = await connectOAuthCrm(
    db,
    { organizationId: mailbox.organizationId, userId: mailbox.userId! },
    "hubspot",
    grant.value,
  );
  return { ok: true as const, conn };
}

describe("HubSpot", () => {
  it("connects with PKCE, syncs every page, and keeps hashes and a few names only", async () => {
    seed();
    const c = await connect();
    if (!c.ok) throw new Error("connect failed");
    await syncPass(db, c.conn.id);
    const status = await getCrmStatus(db, mailbox.organizationId);
    expect(status.connection).toMatchObject({
      provider: "hubspot",
      syncState: "current",
      contactsCount: 252,
      dealsCount: 1,
    });
    // Three pages of contacts (100 a page), never more than HubSpot allows per page.
    const contactPages = hubspot.requests.filter((r) => r.url.includes("/crm/v3/objects/contacts?"));
    expect(contactPages).toHaveLength(3);
    const { rows } = await db.pg.query<{ t: string }>(
      "select row_to_json(k)::text as t from crm_contact_keys k union all select row_to_json(c)::text from crm_contacts c",
    );
    const text = rows.map((r) => r.t).join("\n");
    expect(text).toContain("Banque Atlantique");
    for (const clear of ["f.yao", "banque-atlantique.ci", "client7@"]) expect(text).not.toContain(clear);
  });

  it("refuses a grant without the scopes the calls need", async () => {
    const c = await connect(HUBSPOT_SCOPES.filter((s) => s !== "crm.objects.deals.read"));
    expect(c).toMatchObject({ ok: false, error: { kind: "reconnect" } });
  });

  it("makes the key client's email critical and logs a note and a task on the record, once", async () => {
    const s = seed();
    const { conn } = (await connect()) as { conn: { id: string } };
    await syncPass(db, conn.id);
    const sent = contractEmail(google, "Fatou Yao <f.yao@banque-atlantique.ci>");
    await push(google, CRM_MAILBOX, sent.historyId);
    await drainMail(db);
    const { rows } = await db.pg.query<{ id: string; priority: string; signals: { crm: string } }>(
      "select id, priority, signals from messages where provider_message_id = $1",
      [sent.id],
    );
    expect(rows[0]).toMatchObject({ priority: "critical", signals: { crm: "key_client" } });
    const before = hubspot.requests.length;
    await drainCrm(db);

    const note = hubspot.engagements.find((e) => e.type === "notes")!;
    const task = hubspot.engagements.find((e) => e.type === "tasks")!;
    expect(note.associations).toEqual({ contacts: [s.fatou], companies: [s.bank], deals: [s.deal] });
    expect(task.associations).toEqual({ contacts: [s.fatou], companies: [s.bank], deals: [s.deal] });
    expect(note.properties.hs_note_body).toContain("Avenant au contrat");
    expect(note.properties.hs_note_body).toContain(`/dashboard/emails/${rows[0]!.id}`);
    expect(task.properties).toMatchObject({
      hubspot_owner_id: s.awa,
      hs_task_priority: "HIGH",
      hs_task_status: "NOT_STARTED",
    });
    expect(Date.parse(task.properties.hs_timestamp!)).toBeGreaterThan(Date.now() + 3 * 86_400_000);

    // Only metadata and our summary leave: no request to HubSpot carries the email's words.
    const sentToHubSpot = hubspot.requests.slice(before);
    expect(sentToHubSpot.length).toBeGreaterThan(0);
    for (const r of sentToHubSpot) {
      expect(r.body).not.toContain(BODY_MARKER);
      // The summary (which may quote the sender's one-sentence ask, issue 15) is what we send; the
      // rest of the body never is.
    }

    // A retried job writes nothing twice.
    await db.pg.query(
      "update jobs set status = 'pending', run_at = now(), attempts = 0 where kind = 'crm.log'",
    );
    await drainCrm(db);
    expect(hubspot.engagements).toHaveLength(2);
  });

  it("waits for Retry-After on 429, and refreshes an access token that expires mid-sync", async () => {
    seed(600); // 8 pages: more than one run reads
    const { conn } = (await connect()) as { conn: { id: string } };
    hubspot.throttleNext(1, 7);
    await drainCrm(db);
    const { rows } = await db.pg.query<{ wait: number; status: string }>(
      "select extract(epoch from run_at - now())::int as wait, status from jobs where key = $1",
      [`crm-sync:${conn.id}`],
    );
    expect(rows[0]!.status).toBe("pending");
    expect(rows[0]!.wait).toBeGreaterThanOrEqual(5);
    expect(rows[0]!.wait).toBeLessThanOrEqual(8);

    await runCrmJobsNow(db);
    await drainCrm(db); // the first pages are read
    expect((await getCrmConnection(db, conn.id))?.syncState).toBe("syncing");
    hubspot.oauth.expireAccessTokens();
    await runCrmJobsNow(db);
    await syncPass(db, conn.id);
    const after = await getCrmConnection(db, conn.id);
    expect(after).toMatchObject({ status: "active", syncState: "current", contactsCount: 602 });
    expect(hubspot.oauth.refreshes).toBe(1);
  });

  it("forgets a deleted contact at the next pass and logs nothing on it", async () => {
    const s = seed();
    const { conn } = (await connect()) as { conn: { id: string } };
    await syncPass(db, conn.id);
    // Deleted in HubSpot after our last pass: the email is still judged from what we knew, but
    // HubSpot answers 404 for the contact and nothing is written.
    hubspot.deleteContact(s.fatou);
    const sent = contractEmail(google, "Fatou Yao <f.yao@banque-atlantique.ci>");
    await push(google, CRM_MAILBOX, sent.historyId);
    await drainMail(db);
    await db.pg.query("update jobs set run_at = now() + interval '1 day' where kind = 'crm.sync'");
    await drainCrm(db);
    expect(hubspot.engagements).toHaveLength(0);
    const { rows } = await db.pg.query<{ status: string }>("select status from jobs where kind = 'crm.log'");
    expect(rows).toEqual([{ status: "done" }]);

    hubspot.deleteContact(s.moussa);
    await runCrmJobsNow(db);
    await syncPass(db, conn.id);
    expect(await getCrmConnection(db, conn.id)).toMatchObject({ contactsCount: 250 });
  });

  it("revokes the grant on disconnect and forgets what it read", async () => {
    seed();
    await connect();
    await drainCrm(db);
    await disconnectOrganizationCrm(db, mailbox.organizationId, "user:test", log);
    expect(hubspot.oauth.revocations).toBe(1);
    const { rows } = await db.pg.query<{ n: number }>("select count(*)::int as n from crm_contacts");
    expect(rows[0]!.n).toBe(0);
  });
});
