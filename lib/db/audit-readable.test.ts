import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditSentence } from "@/app/_lib/audit-sentence";
import type { Viewer } from "@/app/_lib/viewer";
import { audit, listAuditActors, listReadableAudit } from "@/lib/db/audit";
import type { PGliteDb } from "@/lib/db/pglite";
import { saveSenderRule } from "@/lib/db/recipients";
import { translator } from "@/lib/i18n/catalogue";
import { testDb } from "@/lib/testing/db";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  createAccount,
} from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let account: Account;
let other: Account;
let awaId: string;

const viewerOf = (locale: "fr" | "en", account: Account): Viewer =>
  ({
    locale,
    timeZone: "Africa/Abidjan",
    t: translator(locale, "web"),
    user: { userId: account.userId, organizationId: account.organizationId },
  }) as unknown as Viewer;

beforeAll(async () => {
  db = await testDb();
  account = await createAccount(db);
  other = await createAccount(db);
  const awa = await addRecipient(db, account.organizationId, { name: "Awa Koné", phone: "+2250707123456" });
  awaId = awa.id;
  await saveSenderRule(db, {
    organizationId: account.organizationId,
    pattern: "marches@sodeci.ci",
    kind: "muted",
    source: "whatsapp",
    actor: `whatsapp:${awa.id}`,
  });
  const { messageId } = await addAnalyzedMessage(db, account, {
    priority: "critical",
    subject: "Contrat 2027",
  });
  await audit(db, {
    organizationId: account.organizationId,
    actor: `user:${account.userId}`,
    action: "message.handled",
    target: messageId,
  });
  // Another organization's message id as a target names nothing here.
  const theirs = await addAnalyzedMessage(db, other, { priority: "critical", subject: "Leur secret" });
  await audit(db, {
    organizationId: account.organizationId,
    actor: "system",
    action: "message.handled",
    target: theirs.messageId,
  });
}, 120_000);
afterAll(() => db.close());

describe("the audit log as sentences", () => {
  it("says who did what to which sender or email, in French and in English", async () => {
    const rows = await listReadableAudit(db, account.organizationId, { limit: 50 });
    const fr = rows.map((e) => auditSentence(viewerOf("fr", account), e));
    const en = rows.map((e) => auditSentence(viewerOf("en", account), e));
    expect(fr).toContain("Awa Koné a mis en sourdine marches@sodeci.ci depuis WhatsApp");
    expect(en).toContain("Awa Koné muted marches@sodeci.ci from WhatsApp");
    expect(fr).toContain("Vous avez marqué « Contrat 2027 » comme traité");
    expect(en).toContain("You marked “Contrat 2027” as handled");
    expect(fr.join("\n")).not.toContain("Leur secret");
    expect(fr).toContain("FluxAsync a marqué « un e-mail » comme traité");
    expect(fr).toContain("Un utilisateur a ajouté Awa Koné");
  });

  it("filters by kind and by person, and names the people", async () => {
    const muted = await listReadableAudit(db, account.organizationId, { limit: 50, kind: "sender_rule" });
    expect(muted.map((e) => e.action)).toEqual(["sender_rule.saved"]);
    const byAwa = await listReadableAudit(db, account.organizationId, {
      limit: 50,
      actor: `whatsapp:${awaId}`,
    });
    expect(byAwa.map((e) => e.action)).toEqual(["sender_rule.saved"]);
    const actors = await listAuditActors(db, account.organizationId);
    expect(actors).toContainEqual({ actor: `whatsapp:${awaId}`, name: "Awa Koné" });
    expect(await listReadableAudit(db, other.organizationId, { limit: 50, kind: "sender_rule" })).toEqual([]);
  });
});
