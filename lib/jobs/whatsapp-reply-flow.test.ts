import PostalMime from "postal-mime";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sandboxRoot } from "@/lib/config/mail-providers";
import { listAudit } from "@/lib/db/audit";
import { getHandler, getMessage, markHandled } from "@/lib/db/messages";
import type { PGliteDb } from "@/lib/db/pglite";
import { getReplySettings, listMessageReplies, saveReplyTemplate } from "@/lib/db/replies";
import type { Alert, Recipient } from "@/lib/db/schemas";
import { SandboxSentFolder } from "@/lib/mail/sandbox/sent-folder";
import { SandboxStore } from "@/lib/mail/sandbox/store";
import { DEFAULT_REPLY_TEMPLATES } from "@/lib/replies/defaults";
import { toEml } from "@/lib/samples/to-eml";
import { testDb } from "@/lib/testing/db";
import {
  buttonReplyWebhook,
  listReplyWebhook,
  quotedTextWebhook,
  textWebhook,
} from "@/lib/testing/meta-fake";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  alertFor,
  createAccount,
  drainPipeline,
  replyTo as findReply,
  receiveWebhook,
} from "@/lib/testing/pipeline-fixtures";

/** Answering an email from WhatsApp, end to end in outbox mode on the sandbox mailbox. */

let db: PGliteDb;
let account: Account;
let awa: Recipient;
const phone = "+2250707123456";
const sent = new SandboxSentFolder(sandboxRoot());

beforeEach(async () => {
  db = await testDb();
  account = await createAccount(db);
  awa = await addRecipient(db, account.organizationId, { name: "Awa", phone });
});
afterEach(() => db.close());

/** A critical email really in the sandbox mailbox (so the reply can thread on it), analysed and alerted. */
async function criticalEmail(subject = "RE: Contrat de 15M FCFA") {
  const raw = toEml({
    from: { name: "Koffi Yao", address: "koffi@client.ci" },
    to: [{ address: "direction@entreprise.ci" }],
    subject,
    date: new Date().toISOString(),
    messageId: "contrat-3@client.ci",
    headers: {
      References: "<contrat-1@client.ci> <contrat-2@entreprise.ci>",
      "In-Reply-To": "<contrat-2@entreprise.ci>",
    },
    text: "Merci de signer avant 17 h.",
  });
  const entry = await new SandboxStore(sandboxRoot()).deliver(account.mailboxId, raw);
  const { messageId } = await addAnalyzedMessage(db, account, {
    priority: "critical",
    providerId: entry.id,
    fromAddress: "koffi@client.ci",
    fromName: "Koffi Yao",
    subject,
    internetMessageId: "contrat-3@client.ci",
  });
  await drainPipeline(db);
  return { messageId, alert: await alertFor(db, account, messageId, awa.id) };
}

async function approveFirstTemplate() {
  const { templates } = await getReplySettings(db, account.organizationId, DEFAULT_REPLY_TEMPLATES);
  const first = templates.find((t) => t.locale === "fr" && t.position === 0)!;
  return saveReplyTemplate(db, account.organizationId, "user:test", { id: first.id, approved: true });
}

async function answerTo(payload: unknown): Promise<Alert> {
  const [event] = await receiveWebhook(db, payload);
  const reply = await findReply(db, event!.wamid);
  expect(reply).not.toBeNull();
  return reply!;
}
const press = (buttonId: string, from = phone) =>
  answerTo(buttonReplyWebhook({ from, buttonId, title: "x" }));
const pick = (rowId: string) => answerTo(listReplyWebhook({ from: phone, rowId, title: "x" }));
const draftOf = (alert: Alert) => alert.rendered?.buttons.find((b) => b.id.startsWith("rsend:"))?.id.slice(6);

async function sentMails() {
  const entries = await sent.list(account.mailboxId);
  return Promise.all(entries.map(async (e) => PostalMime.parse(await sent.read(account.mailboxId, e))));
}

describe("answering from WhatsApp", () => {
  it("lists the approved replies, shows the exact text and addressee, and sends once in the thread", async () => {
    const template = await approveFirstTemplate();
    const { messageId, alert } = await criticalEmail();
    expect(alert.rendered?.buttons.map((b) => b.id)).toContain(`reply:${alert.id}`);

    const list = await press(`reply:${alert.id}`);
    const rows = list.rendered?.list?.sections.flatMap((s) => s.rows.map((r) => r.id));
    expect(rows).toEqual([`rtpl:${alert.id}:${template.id}`, `rwrite:${alert.id}`, `mute:${alert.id}`]);

    const confirmation = await pick(`rtpl:${alert.id}:${template.id}`);
    expect(confirmation.rendered?.body).toContain("Koffi Yao <koffi@client.ci>");
    expect(confirmation.rendered?.body).toContain(
      "Bonjour Koffi,\n\nBien reçu, je vous rappelle dans l’heure.",
    );
    expect(confirmation.rendered?.buttons.map((b) => b.title)).toEqual(["✅ Envoyer", "✖️ Annuler"]);
    expect(await sentMails()).toHaveLength(0);

    const draftId = draftOf(confirmation)!;
    const tap = buttonReplyWebhook({ from: phone, buttonId: `rsend:${draftId}`, title: "✅ Envoyer" });
    const first = await answerTo(tap);
    expect(first.rendered?.body).toContain("en cours d’envoi à Koffi Yao <koffi@client.ci>");
    // Meta delivers the same tap again, and the recipient taps a second time.
    await receiveWebhook(db, tap);
    const second = await press(`rsend:${draftId}`);
    expect(second.rendered?.body).toMatch(/déjà été envoyée|déjà en cours d’envoi/);

    const mails = await sentMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      subject: "Re: Contrat de 15M FCFA",
      inReplyTo: "<contrat-3@client.ci>",
      references: "<contrat-1@client.ci> <contrat-2@entreprise.ci> <contrat-3@client.ci>",
    });
    expect(mails[0]?.to?.[0]?.address).toBe("koffi@client.ci");
    expect(mails[0]?.text?.trim()).toBe("Bonjour Koffi,\n\nBien reçu, je vous rappelle dans l’heure.");
    expect(mails[0]?.headers.some((h) => h.key === "auto-submitted")).toBe(false);

    const detail = await getMessage(db, account.organizationId, messageId);
    expect(detail?.handledAt).not.toBeNull();
    // The one who confirmed the reply handled the email (a later « Traité » is told « déjà traité par Awa »).
    expect(await getHandler(db, account.organizationId, messageId)).toMatchObject({ name: "Awa" });
    const done = await findReply(db, `sent:${draftId}`);
    expect(done?.rendered?.body).toMatch(/^↩️ Réponse envoyée par Awa à \d\d:\d\d\.$/);
    expect(await listMessageReplies(db, account.organizationId, messageId)).toMatchObject([
      { status: "sent", templateTitle: "Bien reçu", toAddress: "koffi@client.ci", recipientName: "Awa" },
    ]);
    const audit = (await listAudit(db, account.organizationId)).find((a) => a.action === "reply.sent");
    expect(audit).toMatchObject({ actor: `whatsapp:${awa.id}`, target: messageId });
    expect(audit?.details).toMatchObject({ to: "koffi@client.ci", templateId: template.id });
    expect(JSON.stringify(audit)).not.toContain("Bien reçu");
  });

  it("sends a free text written as a reply to the alert, as clean plain text", async () => {
    const { alert } = await criticalEmail();
    const confirmation = await answerTo(
      quotedTextWebhook({
        from: phone,
        body: "*Bien reçu* 👍\n_je signe_ avant ~16h~ 17h",
        contextWamid: alert.providerMessageId!,
      }),
    );
    expect(confirmation.rendered?.body).toContain("Koffi Yao <koffi@client.ci>");
    await press(`rsend:${draftOf(confirmation)}`);
    const [mail] = await sentMails();
    expect(mail?.text?.trim()).toBe("Bien reçu 👍\nje signe avant 16h 17h");
    expect(mail?.html).toContain("Bien reçu 👍<br>je signe");
    const { rows } = await db.pg.query<{ payload: unknown }>(
      "select payload from jobs where kind = 'whatsapp.event'",
    );
    expect(JSON.stringify(rows)).not.toContain("signe");
  });

  it("writes a reply after « Écrire une réponse », and cancelling sends nothing", async () => {
    const { alert } = await criticalEmail();
    const prompt = await press(`rwrite:${alert.id}`);
    expect(prompt.rendered?.body).toContain("Écrivez votre réponse à Koffi Yao <koffi@client.ci>");
    const confirmation = await answerTo(textWebhook({ from: phone, body: "Je passe à 15 h." }));
    expect(confirmation.rendered?.body).toContain("Je passe à 15 h.");
    const cancelled = await press(`rcancel:${draftOf(confirmation)}`);
    expect(cancelled.rendered?.body).toContain("rien n’a été envoyé");
    const late = await press(`rsend:${draftOf(confirmation)}`);
    expect(late.rendered?.body).toContain("annulée");
    expect(await sentMails()).toHaveLength(0);
  });

  it("refuses a recipient the organization did not allow to reply, keeping the mute one tap away", async () => {
    const koffi = await addRecipient(db, account.organizationId, {
      name: "Koffi",
      phone: "+2250505123456",
      role: "manager",
    });
    const { messageId } = await criticalEmail();
    const alert = await alertFor(db, account, messageId, koffi.id);
    const refusal = await press(`reply:${alert.id}`, koffi.phone!);
    expect(refusal.rendered?.body).toContain("pas autorisé·e à répondre");
    expect(refusal.rendered?.buttons.map((b) => b.id)).toEqual([`mute:${alert.id}`]);
  });

  it("answers clearly when the email was handled or deleted before « Envoyer »", async () => {
    await approveFirstTemplate();
    const { messageId, alert } = await criticalEmail();
    const firstDraft = await answerTo(textWebhook({ from: phone, body: "ignored: no draft yet" }));
    expect(firstDraft.rendered?.body).toContain("commandes");
    const quoted = (body: string) =>
      quotedTextWebhook({ from: phone, body, contextWamid: alert.providerMessageId! });
    const handledDraft = draftOf(await answerTo(quoted("Je regarde.")))!;
    await markHandled(db, account.organizationId, messageId, "user:test");
    expect((await press(`rsend:${handledDraft}`)).rendered?.body).toContain("traité entre-temps");

    const other = await criticalEmail("Autre contrat");
    const deletedDraft = draftOf(
      await answerTo(
        quotedTextWebhook({ from: phone, body: "Ok.", contextWamid: other.alert.providerMessageId! }),
      ),
    )!;
    await db.pg.query("delete from messages where id = $1", [other.messageId]);
    expect((await press(`rsend:${deletedDraft}`)).rendered?.body).toContain("l’e-mail a été supprimé");
    expect(await sentMails()).toHaveLength(0);
  });

  it("tells the other recipients the alert reached who answered, each in their own language", async () => {
    const koffi = await addRecipient(db, account.organizationId, {
      name: "Koffi",
      phone: "+2250505123456",
      role: "manager",
      locale: "en",
    });
    const { alert } = await criticalEmail();
    const confirmation = await answerTo(
      quotedTextWebhook({ from: phone, body: "Je signe.", contextWamid: alert.providerMessageId! }),
    );
    await press(`rsend:${draftOf(confirmation)}`);
    const { rows } = await db.pg.query<{ recipient_id: string; body: string; template: unknown }>(
      `select recipient_id, rendered->>'body' as body, rendered->'template' as template
         from alerts where dedupe_key like 'replied:%'`,
    );
    // Awa, who answered, has her own confirmation; Koffi hears of it in English.
    expect(rows).toEqual([
      {
        recipient_id: koffi.id,
        body: expect.stringMatching(
          /^↩️ Reply sent by Awa at \d{1,2}:\d\d(?:\s?[AP]M)? to Koffi Yao <koffi@client\.ci>\nSubject: RE: Contrat de 15M FCFA$/,
        ),
        template: { kind: "notice", params: [expect.stringContaining("reply sent by Awa at")] },
      },
    ]);
  });

  it("never lets another organization's number decide a draft", async () => {
    const { alert } = await criticalEmail();
    const confirmation = await answerTo(
      quotedTextWebhook({ from: phone, body: "Oui.", contextWamid: alert.providerMessageId! }),
    );
    const stranger = await createAccount(db);
    await addRecipient(db, stranger.organizationId, { name: "Eve", phone: "+2250101999999" });
    const refused = await press(`rsend:${draftOf(confirmation)}`, "+2250101999999");
    expect(refused.rendered?.body).toContain("n’existe plus");
    expect(await sentMails()).toHaveLength(0);
  });
});
