import PostalMime from "postal-mime";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sandboxRoot } from "@/lib/config/mail-providers";
import { saveAutoReplyRule } from "@/lib/db/auto-replies";
import { getMessage } from "@/lib/db/messages";
import type { PGliteDb } from "@/lib/db/pglite";
import { getReplySettings, saveReplyTemplate } from "@/lib/db/replies";
import type { Recipient } from "@/lib/db/schemas";
import { drainJobs } from "@/lib/jobs/drain";
import { SandboxSentFolder } from "@/lib/mail/sandbox/sent-folder";
import { SandboxStore } from "@/lib/mail/sandbox/store";
import { DEFAULT_REPLY_TEMPLATES } from "@/lib/replies/defaults";
import { toEml } from "@/lib/samples/to-eml";
import { testDb } from "@/lib/testing/db";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  alertFor,
  createAccount,
  PIPELINE_KINDS,
  pipelineRegistry,
} from "@/lib/testing/pipeline-fixtures";

/** Pre-approved automatic replies through the router, on the sandbox mailbox. */

let db: PGliteDb;
let account: Account;
let awa: Recipient;
const sent = new SandboxSentFolder(sandboxRoot());
const KNOWN = {
  relationship: "known",
  authentication: "pass",
  impersonation: false,
  automated: false,
  bulk: [],
  rule: null,
  fraud: null,
};

beforeEach(async () => {
  db = await testDb();
  account = await createAccount(db);
  awa = await addRecipient(db, account.organizationId, { name: "Awa", phone: "+2250707123456" });
  const { templates } = await getReplySettings(db, account.organizationId, DEFAULT_REPLY_TEMPLATES);
  const tpl = templates.find((t) => t.locale === "fr" && t.position === 0)!;
  await saveReplyTemplate(db, account.organizationId, "user:test", { id: tpl.id, approved: true });
  await saveAutoReplyRule(db, account.organizationId, "user:test", { templateId: tpl.id, hours: "always" });
});
afterEach(() => db.close());

async function email(
  p: {
    from?: string;
    thread?: string;
    headers?: Record<string, string>;
    signals?: object;
    /** Let the automatic reply go out before the alert is sent. */
    replyFirst?: boolean;
  } = {},
) {
  const from = p.from ?? "koffi@client.ci";
  const raw = toEml({
    from: { name: "Koffi Yao", address: from },
    to: [{ address: "direction@entreprise.ci" }],
    subject: "Contrat à signer",
    date: new Date().toISOString(),
    headers: p.headers ?? {},
    text: "Merci de signer aujourd'hui.",
  });
  const entry = await new SandboxStore(sandboxRoot()).deliver(account.mailboxId, raw);
  const { messageId } = await addAnalyzedMessage(db, account, {
    priority: "critical",
    providerId: entry.id,
    fromAddress: from,
    fromName: "Koffi Yao",
    threadId: p.thread ?? "thread-1",
  });
  await db.pg.query("update messages set signals = $2 where id = $1", [messageId, p.signals ?? KNOWN]);
  if (p.replyFirst)
    await drainJobs(db, pipelineRegistry(), {
      kinds: ["message.analyzed", "reply.auto", "reply.send"],
      budgetMs: 20_000,
    });
  await drainJobs(db, pipelineRegistry(), { kinds: [...PIPELINE_KINDS, "reply.auto"], budgetMs: 20_000 });
  return messageId;
}

async function sentMails() {
  const entries = await sent.list(account.mailboxId);
  return Promise.all(entries.map(async (e) => PostalMime.parse(await sent.read(account.mailboxId, e))));
}

describe("automatic replies", () => {
  it("answers a matching email once, marked Auto-Submitted: auto-replied, and says so on the email", async () => {
    const messageId = await email();
    const mails = await sentMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]?.headers.find((h) => h.key === "auto-submitted")?.value).toBe("auto-replied");
    expect(mails[0]?.text?.trim()).toBe("Bonjour Koffi,\n\nBien reçu, je vous rappelle dans l’heure.");
    const detail = await getMessage(db, account.organizationId, messageId);
    expect(detail?.autoActions).toContain("auto_reply");
    // An acknowledgement is not the answer: the email is still to be dealt with.
    expect(detail?.handledAt).toBeNull();
  });

  it("tells the recipient its alert already reached, and an alert sent after says it in its 🤖 line", async () => {
    const told = async () =>
      (
        await db.pg.query<{ body: string }>(
          "select rendered->>'body' as body from alerts where dedupe_key like 'replied:%' order by created_at",
        )
      ).rows.map((r) => r.body);
    // The usual order: the alert goes out, then the reply; Awa hears of it afterwards.
    const first = await email();
    expect((await alertFor(db, account, first, awa.id)).rendered?.body).not.toContain("réponse automatique");
    expect(await told()).toEqual([
      expect.stringMatching(
        /^🤖 Réponse automatique envoyée à \d\d:\d\d à Koffi Yao <koffi@client\.ci> \(« Bien reçu », pré-approuvée\)\nObjet : Nouveau contrat de 15M FCFA$/,
      ),
    ]);
    // The reply went out before the alert: the alert itself says so, and no notice follows.
    const second = await email({ thread: "thread-2", replyFirst: true });
    expect((await alertFor(db, account, second, awa.id)).rendered?.body).toContain(
      "🤖 Action automatique : réponse automatique envoyée (pré-approuvée)",
    );
    expect(await told()).toHaveLength(1);
  });

  it("answers a sender and thread at most once per interval", async () => {
    await email();
    await email();
    expect(await sentMails()).toHaveLength(1);
    await email({ thread: "thread-2" });
    expect(await sentMails()).toHaveLength(2);
  });

  it("stops at the mailbox's daily cap", async () => {
    await db.pg.query("update organizations set auto_reply_daily_cap = 1 where id = $1", [
      account.organizationId,
    ]);
    await email({ from: "a@client.ci" });
    await email({ from: "b@client.ci" });
    expect(await sentMails()).toHaveLength(1);
  });

  it("never answers Auto-Submitted mail, lists or unauthenticated first contacts, whatever the rule", async () => {
    await email({ headers: { "Auto-Submitted": "auto-replied" } });
    await email({ thread: "t2", headers: { "List-Id": "<equipe.client.ci>" } });
    await email({ thread: "t3", headers: { Precedence: "bulk" } });
    await email({
      thread: "t4",
      signals: { ...KNOWN, relationship: "first_contact", authentication: "none" },
    });
    await email({ thread: "t5", from: "noreply@client.ci" });
    expect(await sentMails()).toHaveLength(0);
  });
});
