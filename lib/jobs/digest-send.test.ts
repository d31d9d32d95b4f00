import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StoredAttachment } from "@/lib/attachments/stored";
import { setMessageAttachments } from "@/lib/db/messages";
import type { PGliteDb } from "@/lib/db/pglite";
import { enqueueJob } from "@/lib/jobs/queue";
import { testDb } from "@/lib/testing/db";
import { createMetaFake } from "@/lib/testing/meta-fake";
import { server } from "@/lib/testing/msw";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  createAccount,
  drainPipeline,
  pipelineRegistry,
  testWhatsApp,
} from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let account: Account;
const meta = createMetaFake();
const cloud = pipelineRegistry({ whatsapp: testWhatsApp });

beforeEach(async () => {
  db = await testDb();
  account = await createAccount(db);
  meta.sent.length = 0;
  server.use(...meta.handlers);
});
afterEach(() => db.close());

const digestJob = (recipientId: string, date: string, key = `digest:${recipientId}:${date}`) =>
  enqueueJob(db, { kind: "digest.send", key, payload: { recipientId, date } });

const digestAlerts = () =>
  db.pg.query<{ dedupe_key: string; rendered: { body: string } }>(
    "select dedupe_key, rendered from alerts where kind = 'digest'",
  );

describe("digest.send", () => {
  it("sends nothing on a day without mail", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone: "+2250707123456" });
    await digestJob(r.id, "2026-11-23");
    await drainPipeline(db, cloud);
    expect((await digestAlerts()).rows).toHaveLength(0);
    expect(meta.sent).toHaveLength(0);
  });

  it("sends one digest a day, as the digest template outside the 24 h window", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone: "+2250707123456" });
    await addAnalyzedMessage(db, account, { priority: "critical" });
    await addAnalyzedMessage(db, account, {
      priority: "informational",
      subject: "Relevé de novembre",
      category: "bank",
    });
    await addAnalyzedMessage(db, account, { priority: "spam", subject: "Promo", category: "promotion" });
    await digestJob(r.id, "2026-11-23");
    // The same day asked again (another key, e.g. a replayed schedule) adds nothing.
    await digestJob(r.id, "2026-11-23", "digest-again");
    await drainPipeline(db, cloud);

    const rows = (await digestAlerts()).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.dedupe_key).toBe(`digest:${r.id}:2026-11-23`);
    expect(rows[0]?.rendered.body).toContain("*Résumé du lundi 23 novembre*");
    expect(rows[0]?.rendered.body).toContain("🔴 1 critique · 🔵 1 informatif · ⚪ 1 spam");
    expect(rows[0]?.rendered.body).toContain("Relevé de novembre");
    // The critical alert itself and the digest.
    const digest = meta.sent.find(
      (m) => m.type === "template" && (m.body.template as { name: string }).name === "fluxasync_digest",
    );
    expect(digest).toBeDefined();
    expect(meta.sent).toHaveLength(2);
  });

  it("counts a known sender's « Promotions » with the informational mail but does not list them", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone: "+2250707123456" });
    await addAnalyzedMessage(db, account, {
      priority: "informational",
      subject: "Relevé de novembre",
      category: "bank",
    });
    await addAnalyzedMessage(db, account, {
      priority: "informational",
      subject: "-30 % sur vos vols vers Dakar",
      category: "promotion",
    });
    await digestJob(r.id, "2026-11-23");
    await drainPipeline(db, cloud);
    const body = (await digestAlerts()).rows[0]?.rendered.body ?? "";
    expect(body).toContain("🔵 2 informatifs");
    expect(body).toContain("Relevé de novembre");
    expect(body).not.toContain("vols vers Dakar");
  });

  it("counts the attachments still waiting for a signature, until their email is handled", async () => {
    const r = await addRecipient(db, account.organizationId, { name: "Awa", phone: "+2250707123456" });
    const contract = (filename: string, needsSignature: boolean): StoredAttachment => ({
      filename,
      mimeType: "application/pdf",
      size: 9_000,
      status: "read",
      format: "pdf",
      method: "text",
      findings: {
        kind: "contract",
        amounts: [],
        deadline: null,
        dates: [],
        needsSignature,
        bankDetailChange: false,
        injection: 0,
      },
    });
    const first = await addAnalyzedMessage(db, account, { priority: "important", subject: "Contrats" });
    await setMessageAttachments(db, first.messageId, [
      contract("contrat-a.pdf", true),
      contract("contrat-b.pdf", true),
      contract("annexe.pdf", false),
    ]);
    const handled = await addAnalyzedMessage(db, account, { priority: "important", subject: "Bail" });
    await setMessageAttachments(db, handled.messageId, [contract("bail.pdf", true)]);
    await db.pg.query("update messages set handled_at = now() where id = $1", [handled.messageId]);
    await digestJob(r.id, "2026-11-23");
    await drainPipeline(db, cloud);

    const body = (await digestAlerts()).rows[0]?.rendered.body ?? "";
    expect(body).toContain("🟡 2 importants · ✍️ 2 pièces jointes à signer");
  });
});
