import { describe, expect, it } from "vitest";
import { fixture } from "@/lib/attachments/test-fixtures";
import { listOutbox } from "@/lib/db/alerts";
import type { PGliteDb } from "@/lib/db/pglite";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
import { graphFileAttachment } from "@/lib/testing/microsoft-fake-mail";
import { addRecipient } from "@/lib/testing/pipeline-fixtures";
import { everyTableText, leakedSentences, printedDuring, recordingLogger } from "@/tests/attachment-leaks";
import {
  connectOutlook,
  liveSubscription,
  newUser,
  postToWebhook,
  seedSentItems,
  setUpOutlookSuite,
} from "@/tests/outlook-harness";

const SUPPLIER = "compta@materiaux-sahel.ci";
let db: PGliteDb;
const ms = setUpOutlookSuite({
  ready: (database) => {
    db = database;
  },
});

const pdf = (name: string) =>
  graphFileAttachment({ name, contentType: "application/pdf", content: fixture(name) });

// Sign-up, the extraction worker's start and the pipeline: well over the default under load.
describe("attachments through the Outlook pipeline", { timeout: 120_000 }, () => {
  it("reads the invoice and the injected note from Graph, alerts the invoice, and keeps no text anywhere", async () => {
    const user = newUser(ms);
    seedSentItems(ms, user, [SUPPLIER]);
    const mailbox = await connectOutlook(db, ms, user);
    await addRecipient(db, mailbox.organizationId, {
      name: "Awa Koné",
      phone: "+2250707000002",
      minPriority: "informational",
    });
    const log = recordingLogger();
    const run = () => drainJobs(db, jobRegistry(), { budgetMs: 30_000, log });
    await run();

    const invoice = ms.addMessage(user, {
      subject: "Facture",
      from: { emailAddress: { name: "Service comptabilité", address: SUPPLIER } },
      toRecipients: [{ emailAddress: { address: user.address } }],
      body: {
        contentType: "text",
        content: "Bonjour,\n\nVeuillez trouver ci-joint la facture.\n\nCordialement",
      },
      hasAttachments: true,
      attachments: [pdf("facture-FA-2291.pdf")],
    });
    // The same known supplier, with a note that talks to an AI: read, and the email capped.
    const note = ms.addMessage(user, {
      subject: "Note",
      from: { emailAddress: { name: "Service comptabilité", address: SUPPLIER } },
      toRecipients: [{ emailAddress: { address: user.address } }],
      body: { contentType: "text", content: "Bonjour, voir la note ci-jointe, urgent." },
      hasAttachments: true,
      attachments: [pdf("consignes.pdf")],
    });
    const printed = await printedDuring(async () => {
      const notice = ms.notificationBody(liveSubscription(ms, user).id, [invoice.id, note.id]);
      expect((await postToWebhook(notice)).status).toBe(202);
      await run();
    });

    const row = async (id: string) => {
      const { rows } = await db.pg.query<Record<string, unknown>>(
        "select * from messages where mailbox_id = $1 and provider_message_id = $2",
        [mailbox.id, id],
      );
      return rows[0]!;
    };
    const read = await row(invoice.id);
    expect(read.status).toBe("analyzed");
    expect((read.amounts as unknown[])[0]).toEqual({ value: 4_500_000, currency: "XOF" });
    expect(read.attachments).toEqual([
      expect.objectContaining({ filename: "facture-FA-2291.pdf", status: "read", method: "text" }),
    ]);
    const capped = await row(note.id);
    expect(capped.priority).toBe("informational");
    expect(capped.attachments).toEqual([
      expect.objectContaining({
        filename: "consignes.pdf",
        status: "read",
        findings: expect.objectContaining({ injection: 1 }),
      }),
    ]);

    const outbox = await listOutbox(db, mailbox.organizationId);
    expect(outbox.map((a) => a.messageId)).toEqual([read.id]);
    const [alert] = outbox;
    const { rows: sent } = await db.pg.query<{ rendered: { body: string } }>(
      "select rendered from alerts where id = $1",
      [alert?.id],
    );
    const body = sent[0]?.rendered.body.replace(/\s/g, " ") ?? "";
    expect(body).toContain("📎 Facture facture-FA-2291.pdf : 4 500 000 FCFA, échéance 15 déc.");

    const logs = [...log.lines, ...printed].join("\n");
    expect(logs).toContain("analyze.attachments");
    expect(leakedSentences(await everyTableText(db))).toEqual([]);
    expect(leakedSentences(logs)).toEqual([]);
  });
});
