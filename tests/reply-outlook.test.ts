import PostalMime from "postal-mime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { saveAutoReplyRule } from "@/lib/db/auto-replies";
import { setDbForTests } from "@/lib/db/client";
import type { PGliteDb } from "@/lib/db/pglite";
import { getReplySettings, saveReplyTemplate } from "@/lib/db/replies";
import type { Recipient } from "@/lib/db/schemas";
import { DEFAULT_REPLY_TEMPLATES } from "@/lib/replies/defaults";
import { keyRing } from "@/lib/security/keys";
import { loadTokens } from "@/lib/security/token-store";
import { testDb } from "@/lib/testing/db";
import { buttonReplyWebhook, quotedTextWebhook } from "@/lib/testing/meta-fake";
import { createMicrosoftFake, type FakeUser } from "@/lib/testing/microsoft-fake";
import { server } from "@/lib/testing/msw";
import {
  addRecipient,
  alertFor,
  drainPipeline,
  receiveWebhook,
  replyTo,
} from "@/lib/testing/pipeline-fixtures";
import {
  callback,
  connectOutlook,
  drain,
  liveSubscription,
  newUser,
  postToWebhook,
  seedSentItems,
  startSignIn,
} from "@/tests/outlook-harness";

/**
 * A reply confirmed on WhatsApp, sent from an Outlook mailbox with Graph's message reply: refused
 * (clearly, nothing sent, the mailbox not marked revoked) until the user grants Mail.Send by
 * incremental consent, then sent once to the confirmed address.
 */

const ms = createMicrosoftFake();
const phone = "+2250707123456";
let db: PGliteDb;

beforeAll(async () => {
  db = await testDb();
  setDbForTests(db);
});
afterAll(async () => {
  setDbForTests(undefined);
  await db.close();
});
beforeEach(() => {
  server.use(...ms.handlers);
});

async function alerted(user: FakeUser, awa: Recipient, organizationId: string, mailboxId: string) {
  const m = ms.addMessage(user, {
    subject: "Contrat de 15M FCFA à signer aujourd'hui",
    from: { emailAddress: { name: "Koffi Yao", address: "koffi@client.ci" } },
    // A Reply-To elsewhere: the reply still goes to the address the recipient confirmed.
    replyTo: [{ emailAddress: { address: "secretariat@ailleurs.ci" } }],
    toRecipients: [{ emailAddress: { address: user.address } }],
    body: {
      contentType: "html",
      content:
        "<p>Le contrat de 15 000 000 FCFA doit être signé aujourd'hui avant 17h00. Merci de confirmer.</p>",
    },
    internetMessageHeaders: [{ name: "Message-ID", value: "<contrat@client.ci>" }],
  });
  await postToWebhook(ms.notificationBody(liveSubscription(ms, user).id, [m.id]));
  await drain(db);
  await drainPipeline(db);
  const { rows } = await db.pg.query<{ id: string }>(
    "select id from messages where provider_message_id = $1",
    [m.id],
  );
  return alertFor(db, { organizationId, userId: "", mailboxId }, rows[0]!.id, awa.id);
}

async function answer(payload: unknown) {
  const [event] = await receiveWebhook(db, payload);
  return (await replyTo(db, event!.wamid))!;
}

async function confirmReply(alertWamid: string, text: string) {
  const confirmation = await answer(quotedTextWebhook({ from: phone, body: text, contextWamid: alertWamid }));
  const draftId = confirmation.rendered?.buttons[0]?.id.slice("rsend:".length);
  await answer(buttonReplyWebhook({ from: phone, buttonId: `rsend:${draftId}`, title: "✅ Envoyer" }));
  return (await replyTo(db, `sent:${draftId}`))?.rendered?.body;
}

describe("replying from an Outlook mailbox", () => {
  it("asks Mail.Send by incremental consent, then sends one reply to the confirmed address", async () => {
    const user = newUser(ms);
    seedSentItems(ms, user, ["koffi@client.ci"]);
    const mailbox = await connectOutlook(db, ms, user);
    await drain(db);
    const awa = await addRecipient(db, mailbox.organizationId, { name: "Awa", phone });

    const first = await alerted(user, awa, mailbox.organizationId, mailbox.id);
    expect(await confirmReply(first.providerMessageId!, "Bien reçu.")).toContain(
      "n’a pas encore autorisé l’envoi",
    );
    expect(ms.repliesOf(user)).toHaveLength(0);
    const { rows } = await db.pg.query<{ status: string }>("select status from mailboxes where id = $1", [
      mailbox.id,
    ]);
    expect(rows[0]?.status).toBe("active");

    // Settings › Réponses: "Autoriser l'envoi" — the same sign-in, asking Mail.Send on top.
    const { location, cookie } = await startSignIn("?intent=replies");
    expect(new URL(location).searchParams.get("scope")).toContain("https://graph.microsoft.com/Mail.Send");
    const back = await callback(ms.approve(location, user), cookie);
    expect(back.headers.get("location")).toMatch(/\/(settings#replies|onboarding)$/);
    const tokens = await loadTokens(db, keyRing(), mailbox.id);
    expect(tokens?.tokens?.scope).toMatch(/Mail\.Send/);

    const second = await alerted(user, awa, mailbox.organizationId, mailbox.id);
    expect(await confirmReply(second.providerMessageId!, "*Bien reçu*, je signe <avant> 17 h.")).toMatch(
      /^↩️ Réponse envoyée par Awa à /,
    );
    expect(ms.repliesOf(user)).toEqual([
      {
        messageId: expect.any(String),
        to: ["koffi@client.ci"],
        comment: "Bien reçu, je signe &lt;avant&gt; 17 h.",
      },
    ]);
  });
});

describe("automatic replies from an Outlook mailbox", () => {
  /** An email from a known correspondent whose domain passed DMARC, delivered through Graph's push. */
  async function received(user: FakeUser, headers: { name: string; value: string }[] = []) {
    const m = ms.addMessage(user, {
      subject: "RE: Contrat de 15M FCFA",
      from: { emailAddress: { name: "Koffi Yao", address: "koffi@client.ci" } },
      toRecipients: [{ emailAddress: { address: user.address } }],
      body: { contentType: "html", content: "<p>Le contrat doit être signé aujourd'hui avant 17h00.</p>" },
      // One conversation: the thread the once-per-interval limit counts in.
      conversationId: `AAQkAD-contrat-${user.oid}`,
      internetMessageId: `<contrat-${headers.length}@client.ci>`,
      internetMessageHeaders: [
        { name: "Message-ID", value: `<contrat-${headers.length}@client.ci>` },
        { name: "References", value: "<contrat-1@entreprise.ci>" },
        {
          name: "Authentication-Results",
          value: "mx.contoso; dkim=pass header.d=client.ci; dmarc=pass header.from=client.ci",
        },
        ...headers,
      ],
    });
    await postToWebhook(ms.notificationBody(liveSubscription(ms, user).id, [m.id]));
    await drain(db);
    await drainPipeline(db);
    await drain(db, ["reply.auto", "reply.send"]);
    return m;
  }

  it("sends the approved text as MIME marked Auto-Submitted, in the thread, once Mail.Send is granted", async () => {
    const user = newUser(ms);
    seedSentItems(ms, user, ["koffi@client.ci"]);
    const mailbox = await connectOutlook(db, ms, user);
    await drain(db);
    const { templates } = await getReplySettings(db, mailbox.organizationId, DEFAULT_REPLY_TEMPLATES);
    const tpl = templates.find((t) => t.locale === "fr" && t.position === 0)!;
    await saveReplyTemplate(db, mailbox.organizationId, "user:test", { id: tpl.id, approved: true });
    await saveAutoReplyRule(db, mailbox.organizationId, "user:test", { templateId: tpl.id, hours: "always" });

    // Without Mail.Send nothing is attempted (and nothing counts against the daily cap).
    await received(user);
    expect(ms.sentMimeOf(user)).toHaveLength(0);
    const claimed = await db.pg.query("select 1 from reply_drafts where organization_id = $1", [
      mailbox.organizationId,
    ]);
    expect(claimed.rows).toHaveLength(0);

    const { location, cookie } = await startSignIn("?intent=replies");
    await callback(ms.approve(location, user), cookie);
    await received(user);
    expect(ms.repliesOf(user)).toHaveLength(0);
    const [mime] = ms.sentMimeOf(user);
    expect(ms.sentMimeOf(user)).toHaveLength(1);
    const mail = await PostalMime.parse(mime!);
    expect(mail).toMatchObject({
      subject: "Re: Contrat de 15M FCFA",
      inReplyTo: "<contrat-0@client.ci>",
      references: "<contrat-1@entreprise.ci> <contrat-0@client.ci>",
    });
    expect(mail.headers.find((h) => h.key === "auto-submitted")?.value).toBe("auto-replied");
    expect(mail.to?.[0]?.address).toBe("koffi@client.ci");
    expect(mail.from?.address).toBe(user.address);
    expect(mail.text?.trim()).toBe("Bonjour Koffi,\n\nBien reçu, je vous rappelle dans l’heure.");

    // The same correspondent in the same thread within the interval: no second automatic reply;
    // a mailing list never gets one.
    await received(user, [{ name: "X-Second", value: "1" }]);
    await received(user, [{ name: "List-Id", value: "<annonces.client.ci>" }]);
    expect(ms.sentMimeOf(user)).toHaveLength(1);
  });

  it("the Graph fake's sendMail refuses a token without Mail.Send and malformed base64 MIME", async () => {
    const user = newUser(ms);
    const token = ms.tokensFor(user, "offline_access https://graph.microsoft.com/Mail.Read").accessToken;
    const post = (body: string, t = token) =>
      fetch("https://graph.microsoft.com/v1.0/me/sendMail", {
        method: "POST",
        headers: { authorization: `Bearer ${t}`, "content-type": "text/plain" },
        body,
      });
    const mime = Buffer.from("To: a@b.ci\r\nSubject: x\r\n\r\nbonjour\r\n").toString("base64");
    expect((await post(mime)).status).toBe(403);
    const sender = ms.tokensFor(user, "https://graph.microsoft.com/Mail.Send").accessToken;
    const bad = await post("pas du base64 !", sender);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "ErrorMimeContentInvalidBase64String" } });
    expect((await post(mime, sender)).status).toBe(202);
    expect(ms.sentMimeOf(user)).toHaveLength(1);
  });
});
