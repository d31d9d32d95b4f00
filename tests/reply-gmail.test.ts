import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Mailbox, Recipient } from "@/lib/db/schemas";
import { ReconnectRequiredError } from "@/lib/mail/errors";
import { sendMessage } from "@/lib/mail/gmail/api";
import type { GoogleFake } from "@/lib/testing/google-fake";
import { buttonReplyWebhook, quotedTextWebhook } from "@/lib/testing/meta-fake";
import {
  addRecipient,
  alertFor,
  drainPipeline,
  receiveWebhook,
  replyTo,
} from "@/lib/testing/pipeline-fixtures";
import { drainMail, push, setUpGmailSuite } from "@/tests/gmail-harness";

/** A reply confirmed on WhatsApp, sent by the Gmail fake in the email's thread (users.messages.send). */

const ADDRESS = "direction@sahel-negoce.ci";
const phone = "+2250707123456";
let db: PGliteDb;
let fake: GoogleFake;
let mailbox: Mailbox;

setUpGmailSuite({
  address: ADDRESS,
  correspondents: ["koffi@client.ci"],
  ready: (suite) => {
    db = suite.db;
    fake = suite.fake;
    mailbox = suite.mailbox!;
  },
});

async function alertedEmail(awa: Recipient) {
  const box = fake.mailbox(ADDRESS);
  const original = box.addMessage({
    from: "Koffi Yao <koffi@client.ci>",
    subject: "Re: Contrat de 15M FCFA à signer aujourd'hui",
    text: "Bonjour, le contrat de 15 000 000 FCFA doit être signé aujourd'hui avant 17h00. Merci de confirmer.",
    messageId: "contrat-2@client.ci",
    headers: { References: "<contrat-1@sahel-negoce.ci>", "In-Reply-To": "<contrat-1@sahel-negoce.ci>" },
  });
  await push(fake, ADDRESS);
  await drainMail(db);
  await drainPipeline(db);
  const { rows } = await db.pg.query<{ id: string }>(
    "select id from messages where provider_message_id = $1",
    [original.id],
  );
  const account = { organizationId: mailbox.organizationId, userId: "", mailboxId: mailbox.id };
  return { original, alert: await alertFor(db, account, rows[0]!.id, awa.id) };
}

async function answer(payload: unknown) {
  const [event] = await receiveWebhook(db, payload);
  return (await replyTo(db, event!.wamid))!;
}

describe("replying from a Gmail mailbox", () => {
  it("sends one reply in the thread, with In-Reply-To, References and Re: once", async () => {
    const awa = await addRecipient(db, mailbox.organizationId, { name: "Awa", phone });
    const { original, alert } = await alertedEmail(awa);
    const confirmation = await answer(
      quotedTextWebhook({
        from: phone,
        body: "Bien reçu, je signe avant 17 h. 👍",
        contextWamid: alert.providerMessageId!,
      }),
    );
    const draftId = confirmation.rendered?.buttons[0]?.id.slice("rsend:".length);
    await answer(buttonReplyWebhook({ from: phone, buttonId: `rsend:${draftId}`, title: "✅ Envoyer" }));

    const sent = fake.mailbox(ADDRESS).sentReplies;
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ threadId: original.threadId, joinedThread: true });
    const mail = await PostalMime.parse(sent[0]!.raw);
    expect(mail.subject).toBe("Re: Contrat de 15M FCFA à signer aujourd'hui");
    expect(mail.inReplyTo).toBe("<contrat-2@client.ci>");
    expect(mail.references).toBe("<contrat-1@sahel-negoce.ci> <contrat-2@client.ci>");
    expect(mail.to?.map((a) => a.address)).toEqual(["koffi@client.ci"]);
    expect(mail.from?.address).toBe(ADDRESS);
    expect(mail.text?.trim()).toBe("Bien reçu, je signe avant 17 h. 👍");
    expect((await replyTo(db, `sent:${draftId}`))?.rendered?.body).toMatch(/^↩️ Réponse envoyée par Awa à /);
  });
});

describe("the Gmail fake's users.messages.send", () => {
  const raw = (subject: string, refs: string) =>
    `From: ${ADDRESS}\r\nTo: koffi@client.ci\r\nSubject: ${subject}\r\nReferences: ${refs}\r\nIn-Reply-To: ${refs}\r\n\r\nOk\r\n`;

  it("refuses a token without a send scope (gmail.readonly)", async () => {
    const token = fake.accessToken(ADDRESS, 3600, ["https://www.googleapis.com/auth/gmail.readonly"]);
    await expect(sendMessage(token, { raw: raw("Re: x", "<a@b>"), threadId: null })).rejects.toBeInstanceOf(
      ReconnectRequiredError,
    );
    expect(fake.mailbox(ADDRESS).sentReplies).toHaveLength(0);
  });

  it("files a reply without matching threading headers or subject outside the thread", async () => {
    const box = fake.mailbox(ADDRESS);
    const original = box.addMessage({
      from: "koffi@client.ci",
      subject: "Devis",
      messageId: "devis@client.ci",
    });
    const token = fake.accessToken(ADDRESS);
    await sendMessage(token, {
      raw: raw("Re: Autre chose", "<devis@client.ci>"),
      threadId: original.threadId,
    });
    await sendMessage(token, { raw: raw("Re: Devis", "<ailleurs@x>"), threadId: original.threadId });
    await sendMessage(token, { raw: raw("Re: Devis", "<devis@client.ci>"), threadId: original.threadId });
    expect(box.sentReplies.map((s) => s.joinedThread)).toEqual([false, false, true]);
  });
});
