import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CrmLine } from "@/app/_components/crm-line";
import { emailCrm } from "@/app/_lib/crm-email";
import { getCrmStatus } from "@/lib/db/crm";
import { listDemoCrm, saveDemoContact } from "@/lib/db/crm-demo";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Mailbox } from "@/lib/db/schemas";
import { translator } from "@/lib/i18n/catalogue";
import { connectDemoCrm } from "@/lib/jobs/crm-connect";
import type { GoogleFake } from "@/lib/testing/google-fake";
import { BODY_MARKER, CRM_MAILBOX, contractEmail, drainCrm } from "@/tests/crm-harness";
import { drainMail, push, setUpGmailSuite } from "@/tests/gmail-harness";

/*
 * The demo CRM of local mode end to end: connect, sync (hashes and display names only), the
 * key-client signal in the next email's analysis, and the note and task on the contact's record.
 */

let db: PGliteDb;
let fake: GoogleFake;
let mailbox: Mailbox;

setUpGmailSuite({
  address: CRM_MAILBOX,
  ready: (suite) => {
    db = suite.db;
    fake = suite.fake;
    mailbox = suite.mailbox!;
  },
});

async function analysed(providerId: string) {
  const { rows } = await db.pg.query<{ id: string; priority: string; signals: { crm: string | null } }>(
    "select id, priority, signals from messages where provider_message_id = $1",
    [providerId],
  );
  return rows[0]!;
}

async function connectAndSync() {
  const conn = await connectDemoCrm(db, { organizationId: mailbox.organizationId, userId: mailbox.userId! });
  await drainCrm(db);
  return conn;
}

describe("the demo CRM", () => {
  it("syncs contacts and open deals as hashes and the few names the email page shows", async () => {
    await connectAndSync();
    const status = await getCrmStatus(db, mailbox.organizationId);
    expect(status.connection).toMatchObject({
      provider: "demo",
      syncState: "current",
      contactsCount: 3,
      dealsCount: 2,
    });
    const { rows } = await db.pg.query<{ t: string }>(
      "select row_to_json(k)::text as t from crm_contact_keys k union all select row_to_json(c)::text from crm_contacts c",
    );
    const text = rows.map((r) => r.t).join("\n");
    expect(text).toContain("Banque Atlantique");
    for (const clear of ["f.yao", "banque-atlantique.ci", "Fatou"]) expect(text).not.toContain(clear);
  });

  it("makes a key client's email with a deadline critical, and logs it with a task on the record", async () => {
    await connectAndSync();
    const sent = contractEmail(fake, "Fatou Yao <f.yao@banque-atlantique.ci>");
    await push(fake, CRM_MAILBOX, sent.historyId);
    await drainMail(db);
    const m = await analysed(sent.id);
    expect(m.priority).toBe("critical");
    expect(m.signals.crm).toBe("key_client");

    await drainCrm(db);
    const crm = await listDemoCrm(db, mailbox.organizationId);
    const contact = crm.contacts.find((c) => c.email === "f.yao@banque-atlantique.ci")!;
    const deal = crm.deals.find((d) => d.contactId === contact.id)!;
    expect(crm.activities.map((a) => a.kind).sort()).toEqual(["note", "task"]);
    const note = crm.activities.find((a) => a.kind === "note")!;
    const task = crm.activities.find((a) => a.kind === "task")!;
    expect(note).toMatchObject({ contactId: contact.id, dealId: deal.id });
    expect(note.subject).toContain("Avenant au contrat");
    expect(note.body).toContain(`/dashboard/emails/${m.id}`);
    // Our summary and the metadata, never the sender's text.
    expect(note.body).not.toContain(BODY_MARKER);
    expect(task.body).not.toContain(BODY_MARKER);
    expect(task).toMatchObject({ ownerName: "Awa Koné", contactId: contact.id });
    expect(task.dueAt).not.toBeNull();

    // A retried job writes nothing twice.
    await db.pg.query(
      "update jobs set status = 'pending', run_at = now(), attempts = 0 where kind = 'crm.log'",
    );
    await drainCrm(db);
    expect((await listDemoCrm(db, mailbox.organizationId)).activities).toHaveLength(2);
  });

  it("leaves the same email from an unknown sender below critical, and logs nothing", async () => {
    await connectAndSync();
    const sent = contractEmail(fake, "Service client <contact@nouvelle-banque.ci>");
    await push(fake, CRM_MAILBOX, sent.historyId);
    await drainMail(db);
    const m = await analysed(sent.id);
    expect(m.priority).not.toBe("critical");
    expect(m.signals.crm).toBeNull();
    await drainCrm(db);
    expect((await listDemoCrm(db, mailbox.organizationId)).activities).toHaveLength(0);
  });

  it("forgets a contact deleted in the CRM at the next pass", async () => {
    const conn = await connectAndSync();
    const crm = await listDemoCrm(db, mailbox.organizationId);
    const moussa = crm.contacts.find((c) => c.email.startsWith("m.diallo"))!;
    await db.pg.query("delete from demo_crm_contacts where id = $1", [moussa.id]);
    // A new contact appears meanwhile.
    await saveDemoContact(db, mailbox.organizationId, {
      id: null,
      email: "k.traore@sotra.ci",
      name: "Kadi Traoré",
      company: "SOTRA",
      ownerName: "Koffi",
      lifecycle: "customer",
    });
    await db.pg.query("update jobs set run_at = now() where key = $1", [`crm-sync:${conn.id}`]);
    await drainCrm(db);
    const status = await getCrmStatus(db, mailbox.organizationId);
    expect(status.connection).toMatchObject({ contactsCount: 3, dealsCount: 1 });
  });

  it("shows the email page's CRM line with the company, the deal, the owner and the record links", async () => {
    await connectAndSync();
    const sent = contractEmail(fake, "Fatou Yao <f.yao@banque-atlantique.ci>");
    await push(fake, CRM_MAILBOX, sent.historyId);
    await drainMail(db);
    await drainCrm(db);
    const m = await analysed(sent.id);
    const crm = await emailCrm(db, mailbox.organizationId, {
      id: m.id,
      fromAddress: "f.yao@banque-atlantique.ci",
    });
    expect(crm?.keyClient).toBe(true);
    const render = (locale: "fr" | "en") =>
      renderToStaticMarkup(
        <CrmLine
          viewer={{ user: null, locale, timeZone: "Africa/Abidjan", t: translator(locale, "web") }}
          crm={crm!}
        />,
      ).replace(/[\u00a0\u202f]/g, " ");
    const fr = render("fr");
    expect(fr).toContain(
      "<strong>Client CRM :</strong> Banque Atlantique · affaire « Contrat 2027 » 15 M FCFA · propriétaire Awa Koné",
    );
    expect(fr).toMatch(/href="\/settings\/crm#contact-[0-9a-f-]+"/);
    expect(fr).toMatch(/href="\/settings\/crm#deal-[0-9a-f-]+"/);
    expect(fr).toContain("Consigné dans le CRM : note, tâche");
    expect(render("en")).toContain(
      "<strong>CRM client:</strong> Banque Atlantique · deal “Contrat 2027” 15M FCFA · owner Awa Koné",
    );
    // Another organization's sender is nobody in this CRM.
    expect(
      await emailCrm(db, mailbox.organizationId, { id: m.id, fromAddress: "inconnu@ailleurs.ci" }),
    ).toBeNull();
  });
});
