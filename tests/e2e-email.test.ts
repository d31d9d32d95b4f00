import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/email/action/route";
import { listOutbox } from "@/lib/db/alerts";
import { setDbForTests } from "@/lib/db/client";
import { getMessage } from "@/lib/db/messages";
import type { PGliteDb } from "@/lib/db/pglite";
import { getRecipient, upsertRecipient } from "@/lib/db/recipients";
import type { Recipient } from "@/lib/db/schemas";
import { requestEmailConsent } from "@/lib/jobs/email-consent";
import { enqueueJob, getJob } from "@/lib/jobs/queue";
import { simulateReply } from "@/lib/local/whatsapp-simulator";
import { signActionToken } from "@/lib/security/action-link";
import { testDb } from "@/lib/testing/db";
import {
  type Account,
  addAnalyzedMessage,
  addRecipient,
  alertFor,
  createAccount,
  drainPipeline,
  makePipelineDue,
  pipelineRegistry,
} from "@/lib/testing/pipeline-fixtures";
import { linksOf, startSmtpTestServer } from "@/lib/testing/smtp-test-server";

/*
 * The e-mail channel end to end, over a real SMTP conversation with an in-process server: the
 * double opt-in, an alert whose buttons are signed links, the digest, and what the server's reply
 * codes do to the alert and the recipient.
 */

let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
let db: PGliteDb;
let account: Account;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
});
afterAll(() => smtp.close());
beforeEach(async () => {
  db = await testDb();
  setDbForTests(db);
  account = await createAccount(db);
  smtp.received.length = 0;
  smtp.reject.clear();
});
afterEach(async () => {
  setDbForTests(undefined);
  await db.close();
});

const registry = () => pipelineRegistry({ whatsapp: null, email: smtp.transport() });

async function emailRecipient(email: string, locale: "fr" | "en" = "fr"): Promise<Recipient> {
  const r = await upsertRecipient(db, account.organizationId, "user:test", {
    name: "Fatou Diallo",
    channel: "email",
    email,
    locale,
  });
  await requestEmailConsent(db, r, "Société Ivoirienne de Négoce");
  await drainPipeline(db, registry());
  return r;
}

const press = (url: string) => POST(new Request(url, { method: "POST" }), { params: Promise.resolve({}) });

async function confirmed(email: string, locale: "fr" | "en" = "fr") {
  const r = await emailRecipient(email, locale);
  const [confirm] = linksOf(smtp.received.at(-1)!);
  expect((await press(confirm!)).status).toBe(200);
  smtp.received.length = 0;
  return (await getRecipient(db, r.id))!;
}

describe("e-mail recipients: double opt-in", () => {
  it("sends one confirmation, in the recipient's language; the link opts the address in", async () => {
    const r = await emailRecipient("Fatou@Example.CI".toLowerCase());
    expect(r.status).toBe("pending");
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(["fatou@example.ci"]);
    expect(mail.subject).toBe("Confirmez les alertes FluxAsync");
    expect(mail.text).toContain("Société Ivoirienne de Négoce souhaite vous envoyer");
    expect(mail.headers["list-unsubscribe"]).toMatch(/^<https?:\/\/[^>]+\/api\/email\/action\?t=/);
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");

    // Opening the link (a mail scanner does) changes nothing; the form's POST does.
    const [confirm] = linksOf(mail);
    const page = await GET(new Request(confirm!), { params: Promise.resolve({}) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Confirmer : recevoir les alertes à cette adresse");
    expect((await getRecipient(db, r.id))?.status).toBe("pending");
    const done = await press(confirm!);
    expect(await done.text()).toContain("vous recevrez désormais les alertes FluxAsync");
    expect((await getRecipient(db, r.id))?.status).toBe("opted_in");
  });

  it("without SMTP, the confirmation waits in the local outbox and its button follows the link", async () => {
    const r = await upsertRecipient(db, account.organizationId, "user:test", {
      name: "Fatou",
      channel: "email",
      email: "fatou@example.ci",
    });
    await requestEmailConsent(db, r, "SIN");
    await drainPipeline(db, pipelineRegistry({ whatsapp: null, email: null }));
    expect(smtp.received).toHaveLength(0);
    const [outbox] = await listOutbox(db, account.organizationId);
    expect(outbox).toMatchObject({ channel: "email", delivery: "outbox", address: "fatou@example.ci" });
    await simulateReply(db, {
      organizationId: account.organizationId,
      alertId: outbox!.id,
      buttonId: "start:consent",
    });
    expect((await getRecipient(db, r.id))?.status).toBe("opted_in");
  });

  it("writes to an English-speaking recipient in English", async () => {
    await emailRecipient("john@example.com", "en");
    expect(smtp.received[0]?.subject).toBe("Confirm FluxAsync alerts");
    expect(smtp.received[0]?.text).toContain("Confirm to start receiving them");
  });

  it("alerts no one before the confirmation", async () => {
    await emailRecipient("fatou@example.ci");
    smtp.received.length = 0;
    await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db, registry());
    expect(smtp.received).toHaveLength(0);
  });
});

describe("e-mail alerts", () => {
  it("sends the alert with its buttons as signed links that act for the recipient", async () => {
    const r = await confirmed("fatou@example.ci");
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db, registry());
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.subject).toBe("🔴 Critique — Nouveau contrat de 15M FCFA");
    expect(mail.html).toContain("<strong>Critique</strong>");
    expect(mail.text).toContain("De : client.important@banque.ci");
    const alert = await alertFor(db, account, messageId, r.id);
    expect(alert).toMatchObject({ channel: "email", delivery: "email", status: "sent" });
    expect(alert.providerMessageId).toBe(`<alert-${alert.id}@fluxasync.test>`);

    const [handled, snooze, mute] = linksOf(mail);
    expect(linksOf(mail)).toHaveLength(4); // three buttons and the unsubscribe link
    expect((await press(handled!)).status).toBe(200);
    expect((await getMessage(db, account.organizationId, messageId))?.handledAt).not.toBeNull();
    expect(await (await press(mute!)).text()).toContain("client.important@banque");
    expect(snooze).toBeDefined();
  });

  it("sends the daily digest by e-mail", async () => {
    const r = await confirmed("fatou@example.ci");
    await addAnalyzedMessage(db, account, {
      priority: "informational",
      subject: "Relevé de novembre",
      category: "bank",
    });
    await enqueueJob(db, {
      kind: "digest.send",
      key: `digest:${r.id}:2026-11-23`,
      payload: { recipientId: r.id, date: "2026-11-23" },
    });
    await drainPipeline(db, registry());
    const digest = smtp.received.find((m) => m.subject === "📊 Résumé du lundi 23 novembre");
    expect(digest?.text).toContain("Relevé de novembre");
  });

  it("refuses a tampered link, and a link of a WhatsApp alert", async () => {
    const r = await confirmed("fatou@example.ci");
    const wa = await addRecipient(db, account.organizationId, { name: "Awa", phone: "+2250707123456" });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db, registry());
    const [handled] = linksOf(smtp.received[0]!);
    expect((await press(`${handled!.slice(0, -3)}abc`)).status).toBe(410);
    const waAlert = await alertFor(db, account, messageId, wa.id);
    const forged = await signActionToken({ alertId: waAlert.id, command: "done" });
    expect((await press(`http://localhost:3000/api/email/action?t=${forged}`)).status).toBe(410);
    expect((await getMessage(db, account.organizationId, messageId))?.handledAt).toBeNull();
    expect(r.status).toBe("opted_in");
  });

  it("one-click unsubscribe (RFC 8058) opts the address out", async () => {
    const r = await confirmed("fatou@example.ci");
    await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db, registry());
    const unsubscribe = /<([^>]+)>/.exec(smtp.received[0]!.headers["list-unsubscribe"]!)![1]!;
    const res = await POST(
      new Request(unsubscribe, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(200);
    expect((await getRecipient(db, r.id))?.status).toBe("opted_out");
  });
});

describe("what the SMTP server answers", () => {
  it("550 at RCPT TO flags the address undeliverable", async () => {
    const r = await confirmed("parti@example.ci");
    smtp.reject.set("parti@example.ci", { code: 550, message: "5.1.1 No such user" });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db, registry());
    expect(await alertFor(db, account, messageId, r.id)).toMatchObject({ status: "failed", errorCode: 550 });
    expect((await getRecipient(db, r.id))?.status).toBe("undeliverable");
  });

  it("451 is retried later and the alert goes out once the server accepts", async () => {
    const r = await confirmed("fatou@example.ci");
    smtp.reject.set("fatou@example.ci", { code: 451, message: "4.7.1 Try again later" });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await drainPipeline(db, registry());
    expect(await alertFor(db, account, messageId, r.id)).toMatchObject({ status: "pending", errorCode: 451 });
    smtp.reject.clear();
    await makePipelineDue(db);
    await drainPipeline(db, registry());
    expect(await alertFor(db, account, messageId, r.id)).toMatchObject({ status: "sent" });
    expect(smtp.received).toHaveLength(1);
  });

  it("refused credentials stop the job with the server's reason (an operator must act)", async () => {
    const secured = await startSmtpTestServer({ auth: { user: "fluxasync", pass: "right" } });
    try {
      const r = await upsertRecipient(db, account.organizationId, "user:test", {
        name: "Fatou",
        channel: "email",
        email: "fatou@example.ci",
      });
      await requestEmailConsent(db, r, "SIN");
      await drainPipeline(
        db,
        pipelineRegistry({ whatsapp: null, email: secured.transport({ user: "fluxasync", pass: "wrong" }) }),
      );
      const job = await getJob(
        db,
        `alert:${(await db.pg.query<{ id: string }>("select id from alerts")).rows[0]!.id}`,
      );
      expect(job).toMatchObject({ status: "dead" });
      expect(job?.lastError).toContain("535");
      expect(secured.received).toHaveLength(0);
    } finally {
      await secured.close();
    }
  });
});
