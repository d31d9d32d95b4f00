import { beforeEach, describe, expect, it } from "vitest";
import { GET as zohoCallback } from "@/app/api/crm/zoho/callback/route";
import { GET as zohoStart } from "@/app/api/crm/zoho/start/route";
import { ZOHO_SCOPES } from "@/lib/crm/zoho/oauth";
import { getCrmConnection, getCrmStatus } from "@/lib/db/crm";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Mailbox } from "@/lib/db/schemas";
import { disconnectOrganizationCrm } from "@/lib/jobs/crm-connect";
import { logger } from "@/lib/log";
import type { GoogleFake } from "@/lib/testing/google-fake";
import { server } from "@/lib/testing/msw";
import { sessionCookieHeader } from "@/lib/testing/session-cookie";
import { createZohoFake, type ZohoFake } from "@/lib/testing/zoho-fake";
import type { ZohoDc } from "@/lib/testing/zoho-fake-oauth";
import { BODY_MARKER, CRM_MAILBOX, contractEmail, drainCrm, syncPass } from "@/tests/crm-harness";
import { APP, drainMail, push, setCookies, setUpGmailSuite } from "@/tests/gmail-harness";

/*
 * Zoho CRM end to end through the Settings routes: connect in the user's data centre (EU here:
 * the accounts server from the redirect, the API domain from the token response), the sync's
 * paging, the note and the task, idempotency, Retry-After, token expiry mid-sync, a deleted
 * contact, revocation at the right data centre, and what leaves for Zoho.
 */

const routeCtx = { params: Promise.resolve({}) };
let db: PGliteDb;
let google: GoogleFake;
let mailbox: Mailbox;
let zoho: ZohoFake;

setUpGmailSuite({
  address: CRM_MAILBOX,
  ready: (suite) => {
    db = suite.db;
    google = suite.fake;
    mailbox = suite.mailbox!;
  },
});

beforeEach(() => {
  zoho = createZohoFake({ dc: "eu" });
  server.use(...zoho.handlers);
});

function seed(others = 30) {
  const awa = zoho.addUser("Awa Koné");
  const bank = { id: "5725767000000200001", name: "Banque Atlantique" };
  const fatou = zoho.addContact({ email: "f.yao@banque-atlantique.ci", ownerId: awa, account: bank });
  const deal = zoho.addDeal({
    name: "Contrat 2027",
    amount: 15_000_000,
    contactId: fatou,
    account: bank,
    ownerId: awa,
  });
  zoho.addDeal({ name: "Perdu", amount: 80_000_000, stage: "Closed Lost", contactId: fatou });
  const moussa = zoho.addContact({ email: "m.diallo@transit-lagune.ci", ownerId: awa });
  for (let i = 0; i < others; i++) zoho.addContact({ email: `client${i}@exemple${i}.ci` });
  return { awa, fatou, deal, moussa };
}

/** Settings › "Connect Zoho CRM" → Zoho's consent (in `dc`) → our callback. */
async function connectThroughRoutes(
  grant: { dc?: ZohoDc; scopes?: string[] } = { dc: "eu" },
  tamper?: (u: URL) => void,
) {
  const session = await sessionCookieHeader(db, {
    userId: mailbox.userId!,
    organizationId: mailbox.organizationId,
  });
  const start = await zohoStart(
    new Request(`${APP}/api/crm/zoho/start`, { headers: { cookie: session } }),
    routeCtx,
  );
  expect(start.status).toBe(302);
  const flow = setCookies(start).get("fa_oauth") ?? "";
  const back = new URL(zoho.oauth.consent(start.headers.get("location")!, grant));
  tamper?.(back);
  const res = await zohoCallback(
    new Request(back, { headers: { cookie: `${session}; fa_oauth=${flow}` } }),
    routeCtx,
  );
  return res.headers.get("location") ?? "";
}

async function connectionId() {
  const status = await getCrmStatus(db, mailbox.organizationId);
  if (!status.connection) throw new Error("not connected");
  return status.connection.id;
}

describe("Zoho CRM", () => {
  it("connects in the user's data centre and syncs through page tokens", async () => {
    seed(250);
    expect(await connectThroughRoutes()).toBe(`${APP}/settings?notice=crmConnected#crm`);
    const id = await connectionId();
    await syncPass(db, id);
    const conn = await getCrmConnection(db, id);
    expect(conn).toMatchObject({
      provider: "zoho",
      accountId: "20071234567",
      webBase: "https://crm.zoho.eu/crm/org20071234567",
      contactsCount: 252,
      dealsCount: 1,
    });
    // Every call went to the EU API domain, two pages of contacts (200 a page).
    expect(zoho.requests.every((r) => r.url.startsWith("https://www.zohoapis.eu/crm/v8/"))).toBe(true);
    expect(zoho.requests.filter((r) => r.url.includes("/Contacts?"))).toHaveLength(2);
  });

  it("refuses a callback that names a server other than Zoho's, and a grant without the scopes", async () => {
    const forged = await connectThroughRoutes({ dc: "eu" }, (u) =>
      u.searchParams.set("accounts-server", "https://accounts.zoho.eu.evil.example"),
    );
    expect(forged).toBe(`${APP}/settings?error=crmRefused#crm`);
    const narrow = await connectThroughRoutes({
      dc: "in",
      scopes: ZOHO_SCOPES.filter((s) => s !== "ZohoCRM.org.READ"),
    });
    expect(narrow).toBe(`${APP}/settings?error=crmScope#crm`);
    expect((await getCrmStatus(db, mailbox.organizationId)).connection).toBeNull();
  });

  it("logs the key client's email as a note and a task, once, with metadata and our summary only", async () => {
    const s = seed();
    await connectThroughRoutes();
    await syncPass(db, await connectionId());
    const sent = contractEmail(google, "Fatou Yao <f.yao@banque-atlantique.ci>");
    await push(google, CRM_MAILBOX, sent.historyId);
    await drainMail(db);
    const { rows } = await db.pg.query<{ id: string; priority: string }>(
      "select id, priority from messages where provider_message_id = $1",
      [sent.id],
    );
    expect(rows[0]!.priority).toBe("critical");
    const before = zoho.requests.length;
    await drainCrm(db);
    const note = zoho.created.find((c) => c.module === "Notes")!.record;
    const task = zoho.created.find((c) => c.module === "Tasks")!.record;
    expect(note.Parent_Id).toEqual({ module: { api_name: "Contacts" }, id: s.fatou });
    expect(String(note.Note_Content)).toContain(`/dashboard/emails/${rows[0]!.id}`);
    expect(task).toMatchObject({
      Who_Id: { id: s.fatou },
      What_Id: { id: s.deal },
      $se_module: "Deals",
      Owner: { id: s.awa },
      Priority: "High",
    });
    expect(String(task.Due_Date)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const r of zoho.requests.slice(before)) {
      expect(r.body).not.toContain(BODY_MARKER);
      // The summary (which may quote the sender's one-sentence ask, issue 15) is what we send; the
      // rest of the body never is.
    }
    await db.pg.query(
      "update jobs set status = 'pending', run_at = now(), attempts = 0 where kind = 'crm.log'",
    );
    await drainCrm(db);
    expect(zoho.created).toHaveLength(2);
  });

  it("waits for Retry-After, refreshes at the EU accounts server mid-sync, and forgets a deleted contact", async () => {
    const s = seed(800); // 6 pages in all: more than one run reads
    await connectThroughRoutes();
    const id = await connectionId();
    zoho.throttleNext(1, 30);
    await drainCrm(db);
    const { rows } = await db.pg.query<{ wait: number }>(
      "select extract(epoch from run_at - now())::int as wait from jobs where key = $1",
      [`crm-sync:${id}`],
    );
    expect(rows[0]!.wait).toBeGreaterThanOrEqual(28);
    await db.pg.query("update jobs set run_at = now() where key = $1", [`crm-sync:${id}`]);
    await drainCrm(db);
    expect((await getCrmConnection(db, id))?.syncState).toBe("syncing");
    zoho.oauth.expireAccessTokens();
    await syncPass(db, id);
    expect(zoho.oauth.refreshes).toBe(1);
    expect(await getCrmConnection(db, id)).toMatchObject({ status: "active", contactsCount: 802 });

    zoho.deleteContact(s.moussa);
    await db.pg.query("update jobs set run_at = now() where key = $1", [`crm-sync:${id}`]);
    await syncPass(db, id);
    expect(await getCrmConnection(db, id)).toMatchObject({ contactsCount: 801 });
  });

  it("revokes the refresh token at the user's data centre on disconnect", async () => {
    seed();
    await connectThroughRoutes({ dc: "eu" });
    await disconnectOrganizationCrm(db, mailbox.organizationId, "user:test", logger({ test: "zoho" }));
    expect(zoho.oauth.revocations).toEqual(["eu"]);
  });
});
