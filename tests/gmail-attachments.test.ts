import { describe, expect, it } from "vitest";
import { fixture } from "@/lib/attachments/test-fixtures";
import { listOutbox } from "@/lib/db/alerts";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Mailbox } from "@/lib/db/schemas";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
import type { GoogleFake } from "@/lib/testing/google-fake";
import type { FakeMessageSpec } from "@/lib/testing/google-fake-mime";
import { addRecipient } from "@/lib/testing/pipeline-fixtures";
import { everyTableText, leakedSentences, printedDuring, recordingLogger } from "@/tests/attachment-leaks";
import { push, setUpGmailSuite } from "@/tests/gmail-harness";

const ADDRESS = "direction@sahel-negoce.ci";
const SUPPLIER = "compta@materiaux-sahel.ci";
let db: PGliteDb;
let fake: GoogleFake;
let mailbox: Mailbox;

setUpGmailSuite({
  address: ADDRESS,
  // The owner has written to the supplier before: its invoices come from a known correspondent.
  correspondents: [SUPPLIER],
  ready: (suite) => {
    db = suite.db;
    fake = suite.fake;
    fake.resetCounters();
    mailbox = suite.mailbox!;
  },
});

const pdf = (filename: string) => {
  const content = fixture(filename);
  return { filename, mimeType: "application/pdf", size: content.byteLength, content };
};

const INVOICE: FakeMessageSpec = {
  from: `Service comptabilité <${SUPPLIER}>`,
  subject: "Facture",
  text: "Bonjour,\n\nVeuillez trouver ci-joint la facture.\n\nCordialement",
  headers: {
    "Authentication-Results":
      "mx.google.com; dkim=pass header.d=materiaux-sahel.ci; dmarc=pass header.from=materiaux-sahel.ci",
  },
  attachments: [pdf("facture-FA-2291.pdf")],
  receivedAt: new Date("2026-11-14T09:30:00Z"),
};

/** Delivers, pushes and runs every job (alerts go to the outbox), recording the jobs' logs. */
async function receive(spec: FakeMessageSpec) {
  const m = fake.mailbox(ADDRESS).addMessage(spec);
  const log = recordingLogger();
  const printed = await printedDuring(async () => {
    await push(fake, ADDRESS);
    await drainJobs(db, jobRegistry(), {
      budgetMs: 30_000,
      log,
      now: () => new Date(spec.receivedAt!.getTime() + 5 * 60_000),
    });
  });
  const { rows } = await db.pg.query<Record<string, unknown>>(
    "select * from messages where mailbox_id = $1 and provider_message_id = $2",
    [mailbox.id, m.id],
  );
  return { row: rows[0]!, logs: [...log.lines, ...printed].join("\n") };
}

// The extraction worker's start and the whole pipeline: well over the default under load.
describe("attachments through the Gmail pipeline", { timeout: 120_000 }, () => {
  it("an email whose only substance is the attached invoice is alerted with its amount and due date", async () => {
    const recipient = await addRecipient(db, mailbox.organizationId, {
      name: "Awa Koné",
      phone: "+2250707000001",
      minPriority: "informational",
    });
    const { row, logs } = await receive(INVOICE);

    expect(row).toMatchObject({ status: "analyzed" });
    // The document's total first: what the alert's summary and amounts lead with.
    expect((row.amounts as unknown[])[0]).toEqual({ value: 4_500_000, currency: "XOF" });
    expect(new Date(row.deadline as Date).toISOString().slice(0, 10)).toBe("2026-12-15");
    expect(row.attachments).toEqual([
      {
        filename: "facture-FA-2291.pdf",
        mimeType: "application/pdf",
        size: fixture("facture-FA-2291.pdf").byteLength,
        status: "read",
        format: "pdf",
        method: "text",
        findings: expect.objectContaining({
          kind: "invoice",
          amounts: expect.arrayContaining([{ value: 4_500_000, currency: "XOF" }]),
          needsSignature: false,
          injection: 0,
        }),
      },
    ]);
    expect(fake.calls("messages.attachments.get")).toBe(1);

    const [alert] = await listOutbox(db, mailbox.organizationId);
    expect(alert).toMatchObject({ recipientId: recipient.id, kind: "alert" });
    const { rows } = await db.pg.query<{ rendered: { body: string } }>(
      "select rendered from alerts where id = $1",
      [alert?.id],
    );
    expect(rows[0]?.rendered.body.replace(/\s/g, " ")).toContain(
      "📎 Facture facture-FA-2291.pdf : 4 500 000 FCFA, échéance 15 déc.",
    );

    // The document was read (its figures are above), and none of its sentences is kept anywhere.
    expect(leakedSentences(await everyTableText(db))).toEqual([]);
    expect(logs).toContain("analyze.attachments");
    expect(leakedSentences(logs)).toEqual([]);
  });

  it("an injection inside a PDF cannot promote the email, and its text is kept nowhere", async () => {
    const { row, logs } = await receive({
      from: "Growth Partners <hello@growth-partners.example>",
      subject: "Note",
      text: "Bonjour, voir la note ci-jointe.",
      attachments: [pdf("consignes.pdf")],
      receivedAt: new Date("2026-11-14T09:30:00Z"),
    });
    expect(row.priority).not.toBe("critical");
    expect(row.priority).not.toBe("important");
    expect(row.attachments).toEqual([
      expect.objectContaining({
        filename: "consignes.pdf",
        status: "read",
        findings: expect.objectContaining({ injection: 1 }),
      }),
    ]);
    expect(leakedSentences(await everyTableText(db))).toEqual([]);
    expect(leakedSentences(logs)).toEqual([]);
  });

  it("hostile files are listed unreadable, with the email analysed and nothing thrown", async () => {
    const { row } = await receive({
      ...INVOICE,
      subject: "Documents",
      attachments: [pdf("facture-protegee.pdf"), pdf("facture-tronquee.pdf"), pdf("six-cents-pages.pdf")],
    });
    expect(row.status).toBe("analyzed");
    const byName = Object.fromEntries(
      (row.attachments as { filename: string; status: string; reason?: string }[]).map((a) => [
        a.filename,
        [a.status, a.reason],
      ]),
    );
    expect(byName).toEqual({
      "facture-protegee.pdf": ["unreadable", "encrypted"],
      "facture-tronquee.pdf": ["unreadable", "corrupt"],
      "six-cents-pages.pdf": ["unreadable", "too_many_pages"],
    });
  });
});
