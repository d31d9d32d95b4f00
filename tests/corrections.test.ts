import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sendFeedback } from "@/app/_lib/email-access";
import { GET as exportCorrections } from "@/app/api/corrections/route";
import { evaluate } from "@/lib/analysis/evaluate";
import { getSessionUser } from "@/lib/db/accounts";
import { getMessageSignals, listMessages } from "@/lib/db/messages";
import type { PGliteDb } from "@/lib/db/pglite";
import { listSenderRules } from "@/lib/db/recipients";
import type { Mailbox } from "@/lib/db/schemas";
import { correctionsSet } from "@/lib/samples/corrections";
import type { GoogleFake } from "@/lib/testing/google-fake";
import { APP, drainMail, push, setCookies, setUpGmailSuite, signInWithGoogle } from "@/tests/gmail-harness";

/*
 * Corrections that teach: the corrected priority shows at once, "apply to future emails" makes a
 * rule that sets it, a correction to critical makes the sender trusted, and the organization's
 * corrections export as a labelled set `npm run eval` reads.
 */

const ADDRESS = "dg@sahel-negoce.ci";
const PROSPECT = "p.ndiaye@teranga.sn";
let db: PGliteDb;
let fake: GoogleFake;
let mailbox: Mailbox;

setUpGmailSuite({
  address: ADDRESS,
  ready: (suite) => {
    db = suite.db;
    fake = suite.fake;
    mailbox = suite.mailbox!;
  },
});

const auth = {
  "Authentication-Results": "mx.google.com; dkim=pass header.d=teranga.sn; dmarc=pass header.from=teranga.sn",
};

async function receive(subject: string) {
  const m = fake.mailbox(ADDRESS).addMessage({
    from: `Pape Ndiaye <${PROSPECT}>`,
    subject,
    headers: auth,
    text: "Bonjour,\n\nPouvez-vous me rappeler aujourd'hui au sujet du contrat de distribution de 40 000 000 FCFA ?\n\nPape",
  });
  await push(fake, ADDRESS, m.historyId);
  await drainMail(db);
  const rows = await listMessages(db, mailbox.organizationId, {});
  const row = rows.find((r) => r.providerMessageId === m.id);
  if (!row) throw new Error("message not recorded");
  return row;
}

describe("a correction", () => {
  it("shows at once, sets the sender's future emails, trusts them, and exports without bodies", async () => {
    const user = (await getSessionUser(
      db,
      (
        await db.pg.query<{ id: string }>("select id from users")
      ).rows[0]!.id,
    ))!;

    // A first contact, authenticated and addressed to the owner: at most important.
    const first = await receive("Contrat de distribution");
    expect(first.priority).toBe("important");

    await sendFeedback(db, user, { id: first.id, priority: "critical", scope: "sender" });
    const after = (await listMessages(db, mailbox.organizationId, { priority: "critical" })).map((m) => m.id);
    expect(after).toContain(first.id);
    const judged = await getMessageSignals(db, mailbox.organizationId, first.id);
    expect(judged).toMatchObject({ analyzedPriority: "important", feedbackPriority: "critical" });
    expect(judged?.signals).toMatchObject({
      relationship: "first_contact",
      authentication: "pass",
      tier: "direct",
    });
    expect(await listSenderRules(db, mailbox.organizationId)).toMatchObject([
      { pattern: PROSPECT, kind: "critical", source: "feedback" },
    ]);

    // The next email of that sender: trusted now, and set to critical by the rule.
    const second = await receive("Relance contrat");
    expect(second.priority).toBe("critical");
    expect((await getMessageSignals(db, mailbox.organizationId, second.id))?.signals?.tier).toBe("trusted");

    // The export: metadata and signals, never the body; it reads back as a labelled set.
    const session = setCookies(await signInWithGoogle(fake, ADDRESS));
    const cookie = [...session].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await exportCorrections(new Request(`${APP}/api/corrections`, { headers: { cookie } }), {
      params: Promise.resolve({}),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain("Pouvez-vous me rappeler");
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ label: "critical", predicted: "important", from: PROSPECT });

    const file = path.join(mkdtempSync(path.join(tmpdir(), "corrections-")), "c.jsonl");
    writeFileSync(file, text);
    const set = await correctionsSet(file);
    const result = await evaluate(set.items, set.context, { geminiApiKey: null, geminiModel: "x" });
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]?.signals.tier).toBe("direct");
  });

  it("refuses a domain-wide rule for a free-mail domain", async () => {
    const user = (await getSessionUser(
      db,
      (
        await db.pg.query<{ id: string }>("select id from users")
      ).rows[0]!.id,
    ))!;
    const m = fake
      .mailbox(ADDRESS)
      .addMessage({ from: "Awa <awa.k@gmail.com>", subject: "Bonjour", text: "Bonjour" });
    await push(fake, ADDRESS, m.historyId);
    await drainMail(db);
    const row = (await listMessages(db, mailbox.organizationId, {})).find(
      (r) => r.providerMessageId === m.id,
    )!;
    await expect(sendFeedback(db, user, { id: row.id, priority: "spam", scope: "domain" })).rejects.toThrow(
      /free-mail/,
    );
    expect(await listSenderRules(db, mailbox.organizationId)).toEqual([]);
  });
});
