import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setDbForTests } from "@/lib/db/client";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Recipient } from "@/lib/db/schemas";
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
