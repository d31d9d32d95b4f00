import { describe, expect, it } from "vitest";
import { updateOrganization } from "@/lib/db/accounts";
import { listOutbox } from "@/lib/db/alerts";
import type { PGliteDb } from "@/lib/db/pglite";
import { upsertRecipient } from "@/lib/db/recipients";
import type { FakeUser } from "@/lib/testing/microsoft-fake";
import {
  connectOutlook,
  drain,
  liveSubscription,
  newUser,
  postToWebhook,
  seedSentItems,
  setUpOutlookSuite,
} from "@/tests/outlook-harness";

let db: PGliteDb;
const ms = setUpOutlookSuite({
  ready: (database) => {
    db = database;
  },
});

function critical(user: FakeUser) {
  return ms.addMessage(user, {
    subject: "Nouveau contrat de 15M FCFA à signer aujourd'hui",
    from: { emailAddress: { name: "Banque Atlantique", address: "client.important@banque.ci" } },
    toRecipients: [{ emailAddress: { name: "Awa", address: user.address } }],
    body: {
      contentType: "html",
      content:
        "<p>Bonjour,</p><p>Le contrat de <b>15 000 000 FCFA</b> doit être <b>signé aujourd'hui avant 17h00</b>, sinon l'offre expire. Merci de confirmer en urgence.</p>",
    },
    internetMessageHeaders: [{ name: "Message-ID", value: "<contrat-15m@banque.ci>" }],
  });
}

function newsletter(user: FakeUser) {
  return ms.addMessage(user, {
    subject: "Soldes : -50% sur toute la boutique",
    from: { emailAddress: { name: "Boutique Promo", address: "newsletter@promo-boutique.ci" } },
    toRecipients: [{ emailAddress: { address: user.address } }],
    body: { contentType: "html", content: "<p>Profitez de nos offres exceptionnelles. Se désabonner.</p>" },
    internetMessageHeaders: [
      { name: "List-Unsubscribe", value: "<https://promo-boutique.ci/unsubscribe?u=1>" },
      { name: "Precedence", value: "bulk" },
    ],
    inferenceClassification: "other",
  });
}

/** A connected mailbox whose first sync ran, then new mail notified and the whole pipeline drained. */
async function deliver(user: FakeUser, make: Array<(u: FakeUser) => { id: string }>) {
  // The bank is a correspondent: the owner has written to it before.
  seedSentItems(ms, user, ["client.important@banque.ci"]);
  const mailbox = await connectOutlook(db, ms, user);
  await drain(db);
  const msgs = make.map((m) => m(user));
  const res = await postToWebhook(
    ms.notificationBody(
      liveSubscription(ms, user).id,
      msgs.map((m) => m.id),
    ),
  );
  expect(res.status).toBe(202);
  await drain(db);
  return { mailbox, msgs };
}

const messageRow = async (mailboxId: string, providerId: string) =>
  (
    await db.pg.query<{ id: string; status: string; priority: string; auto_actions: string[] }>(
      "select id, status, priority, auto_actions from messages where mailbox_id = $1 and provider_message_id = $2",
      [mailboxId, providerId],
    )
  ).rows[0];

describe("message.analyze on Outlook", () => {
  it("labels with the category FluxAsync/<Priorité> on the message and moves nothing by default", async () => {
    const user = newUser(ms);
    const { mailbox, msgs } = await deliver(user, [critical, newsletter]);
    const [urgent, promo] = msgs.map((m) => ms.message(user, m.id));

    expect(await messageRow(mailbox.id, urgent?.id ?? "")).toMatchObject({
      status: "analyzed",
      priority: "critical",
      auto_actions: ["label:FluxAsync/Critique"],
    });
    expect(urgent).toMatchObject({ categories: ["FluxAsync/Critique"], isRead: false, folder: "inbox" });

    expect(await messageRow(mailbox.id, promo?.id ?? "")).toMatchObject({
      priority: "spam",
      auto_actions: ["label:FluxAsync/Spam"],
    });
    // Mark-read and archive are off unless the organization turns them on.
    expect(promo).toMatchObject({ categories: ["FluxAsync/Spam"], isRead: false, folder: "inbox" });

    // With the scopes we ask for (Mail.ReadWrite, no MailboxSettings) the master list is never called.
    expect(ms.calls["categories.list"] ?? 0).toBe(0);
    expect(ms.masterCategories(user)).toEqual([]);
  });

  it("marks spam read and archives it only when allowed, and labels nothing when labels are off", async () => {
    const user = newUser(ms);
    seedSentItems(ms, user, ["client.important@banque.ci"]);
    const mailbox = await connectOutlook(db, ms, user);
    await updateOrganization(db, mailbox.organizationId, "test", {
      autoLabel: false,
      autoMarkSpamRead: true,
      autoArchiveSpam: true,
    });
    await drain(db);
    const urgent = critical(user);
    const promo = newsletter(user);
    const patches = ms.calls["messages.patch"] ?? 0;
    await postToWebhook(ms.notificationBody(liveSubscription(ms, user).id, [urgent.id, promo.id]));
    await drain(db);

    expect(ms.message(user, promo.id)).toMatchObject({ categories: [], isRead: true, folder: "archive" });
    expect(await messageRow(mailbox.id, promo.id)).toMatchObject({
      priority: "spam",
      auto_actions: ["mark_read", "archive"],
    });
    // Not spam: untouched, not even a PATCH.
    expect(ms.message(user, urgent.id)).toMatchObject({ categories: [], isRead: false, folder: "inbox" });
    expect(await messageRow(mailbox.id, urgent.id)).toMatchObject({ priority: "critical", auto_actions: [] });
    expect(ms.calls["messages.patch"]).toBe(patches + 1);
  });
});

describe("Outlook end to end", () => {
  it("a Graph notification becomes a WhatsApp alert: notification → sync → analysis → alert sent (outbox)", async () => {
    const user = newUser(ms);
    seedSentItems(ms, user, ["client.important@banque.ci"]);
    const mailbox = await connectOutlook(db, ms, user);
    const recipient = await upsertRecipient(db, mailbox.organizationId, "test", {
      name: "Awa Koné",
      phone: "+2250707000001",
      minPriority: "important",
    });
    await db.pg.query("update recipients set status = 'opted_in', opted_in_at = now() where id = $1", [
      recipient.id,
    ]);
    await drain(db);

    const urgent = critical(user);
    const promo = newsletter(user);
    const res = await postToWebhook(
      ms.notificationBody(liveSubscription(ms, user).id, [urgent.id, promo.id]),
    );
    expect(res.status).toBe(202);
    await drain(db);

    const row = await messageRow(mailbox.id, urgent.id);
    expect(row).toMatchObject({ status: "analyzed", priority: "critical" });
    const outbox = await listOutbox(db, mailbox.organizationId);
    expect(outbox).toHaveLength(1); // the newsletter is below the recipient's minimum priority
    expect(outbox[0]).toMatchObject({
      messageId: row?.id,
      recipientId: recipient.id,
      kind: "alert",
      status: "sent",
      delivery: "outbox",
    });
    const { rows } = await db.pg.query<{ rendered: { body: string } }>(
      "select rendered from alerts where id = $1",
      [outbox[0]?.id],
    );
    expect(rows[0]?.rendered.body).toContain("Critique");
    expect(rows[0]?.rendered.body).toContain("client.important@banque.ci");
    expect(rows[0]?.rendered.body).not.toContain("<b>");
  });
});
