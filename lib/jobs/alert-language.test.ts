import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyzeMessage } from "@/lib/analysis/analyze";
import { context, KNOWN, message } from "@/lib/analysis/test-helpers";
import type { PGliteDb } from "@/lib/db/pglite";
import { testDb } from "@/lib/testing/db";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  alertFor,
  createAccount,
  drainPipeline,
} from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
let account: Account;
beforeEach(async () => {
  db = await testDb();
  account = await createAccount(db);
});
afterEach(() => db.close());

const ribChange = message({
  subject: "Changement de RIB",
  date: "2026-11-20T08:15:00.000Z",
  text: "Bonjour,\n\nNos coordonnées bancaires ont changé : merci de payer la facture de 3 400 000 FCFA sur notre nouveau compte avant demain 17h.\n\nComptabilité",
});

describe("one email, each recipient in their own language", () => {
  it("renders the same analysis entirely in French for one recipient and in English for the other", async () => {
    // Analysed once, by the rules, for an organization whose language is French.
    const { analysis } = await analyzeMessage(
      ribChange,
      context({ locale: "fr", relationship: KNOWN }),
      { geminiApiKey: null, geminiModel: "gemini-test" },
      { now: () => new Date(ribChange.date) },
    );
    const awa = await addRecipient(db, account.organizationId, {
      name: "Awa Koné",
      phone: "+2250707123456",
      locale: "fr",
    });
    const john = await addRecipient(db, account.organizationId, {
      name: "John Mensah",
      phone: "+233241234567",
      locale: "en",
      timezone: "Africa/Accra",
    });
    const { messageId } = await addAnalyzedMessage(db, account, {
      priority: analysis.priority,
      subject: ribChange.subject,
      fromAddress: ribChange.from.address,
      fromName: ribChange.from.name,
      analysis,
    });
    await drainPipeline(db);

    const fr = (await alertFor(db, account, messageId, awa.id)).rendered?.body ?? "";
    const en = (await alertFor(db, account, messageId, john.id)).rendered?.body ?? "";
    expect(fr).toContain("🔴 *Critique*");
    expect(fr).toContain("Action recommandée : Appeler un contact connu avant tout paiement");
    expect(fr).toMatch(/3\s400\s000 FCFA/);
    expect(fr).toMatch(/confirmez par téléphone/);
    expect(en).toContain("🔴 *Critical*");
    expect(en).toContain("Suggested action: Call a known contact before paying");
    expect(en).toContain("3,400,000 FCFA");
    expect(en).toMatch(/confirm by phone/i);
    // Not one word of the other language in either.
    for (const french of [
      "Action recommandée",
      "Montant",
      "Échéance",
      "coordonnées",
      "téléphone",
      "Fraude",
    ]) {
      expect(en).not.toContain(french);
    }
    for (const english of [
      /Suggested action/,
      /Amount/,
      /Deadline/,
      /bank details/,
      /\bconfirm\b/,
      /\bfraud\b/i,
    ]) {
      expect(fr).not.toMatch(english);
    }
  });
});
