import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

// Gemini is configured for this file only (lib/env.ts reads the environment when first imported).
vi.hoisted(() => {
  process.env.GEMINI_API_KEY = "e2e-gemini-key";
});

import { POST as whatsappWebhook } from "@/app/api/webhooks/whatsapp/route";
import { setDbForTests } from "@/lib/db/client";
import type { PGliteDb } from "@/lib/db/pglite";
import { upsertRecipient } from "@/lib/db/recipients";
import type { Mailbox } from "@/lib/db/schemas";
import { env } from "@/lib/env";
import { alertSendHandler } from "@/lib/jobs/alert-send";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
import { testDb } from "@/lib/testing/db";
import { geminiFake } from "@/lib/testing/gemini-fake";
import { createGoogleFake, type GoogleFake } from "@/lib/testing/google-fake";
import { createMetaFake, signedWebhookRequest, statusWebhook } from "@/lib/testing/meta-fake";
import { server } from "@/lib/testing/msw";
import { testWhatsApp } from "@/lib/testing/pipeline-fixtures";
import { connectGmail, push, resetDb, seedSentMail } from "@/tests/gmail-harness";

/**
 * The whole product path, end to end, through the real routes and jobs: a Gmail push → sync →
 * analysis by Gemini (fake) → routing → the WhatsApp Cloud API (fake) receives exactly the expected
 * message, once — also when the push comes twice, when WhatsApp answers 500 first, and when the
 * process dies between sending and recording the send.
 */

const ADDRESS = "direction@sahel-negoce.ci";
const PHONE = "+2250707123456";
let db: PGliteDb;
let google: GoogleFake;
let meta: ReturnType<typeof createMetaFake>;
let gemini: ReturnType<typeof geminiFake>;
let mailbox: Mailbox;

const contract = {
  priority: "critical",
  category: "contract",
  summary: {
    fr: "Banque Atlantique attend la signature du contrat de 15 M FCFA avant 17 h.",
    en: "Banque Atlantique expects the 15M FCFA contract to be signed before 5 pm.",
  },
  suggestedAction: { kind: "sign", phrase: { fr: "Signer le contrat", en: "Sign the contract" } },
  deadline: null,
  amounts: [{ value: 15_000_000, currency: "XOF" }],
  fraudWarning: null,
  confidence: 0.94,
  reasons: [
    { fr: "contrat", en: "contract" },
    { fr: "montant", en: "amount" },
    { fr: "échéance aujourd'hui", en: "due today" },
  ],
};

// Requests time out fast and an unknown outcome waits 60 s for a status, so tests stay quick.
const registry = () => ({
  ...jobRegistry(),
  "alert.send": alertSendHandler({ whatsapp: testWhatsApp, timeoutMs: 400, waitSeconds: 60 }),
});
const drain = () => drainJobs(db, registry(), { budgetMs: 20_000 });
const makeDue = () =>
  db.pg.query("update jobs set run_at = now() - interval '1 second' where status = 'pending'");

function deliverContract(tag: string) {
  return google.mailbox(ADDRESS).addMessage({
    from: "Aïcha Koné — Banque Atlantique <client.important@banque.ci>",
    subject: `Contrat de prestation 15 000 000 FCFA — signature aujourd'hui ${tag}`,
    text: "Bonjour Monsieur Traoré,\n\nMerci de signer le contrat de 15 000 000 FCFA avant aujourd'hui 17h.\n\nAïcha",
  });
}

const sendsTo = (digits: string) => meta.sent.filter((s) => s.to === digits && s.type !== "read");

beforeAll(async () => {
  db = await testDb();
  setDbForTests(db);
});
afterAll(async () => {
  delete process.env.GEMINI_API_KEY;
  setDbForTests(undefined);
  await db.close();
});
beforeEach(async () => {
  await resetDb(db);
  google = createGoogleFake({ topicName: env.GMAIL_PUBSUB_TOPIC });
  meta = createMetaFake();
  gemini = geminiFake({ afterwards: { kind: "reply", json: contract, promptTokens: 420, outputTokens: 90 } });
  server.use(...google.handlers, ...meta.handlers, ...gemini.handlers);
  // The bank is a correspondent: the owner has written to it before signing up.
  seedSentMail(google, ADDRESS, ["client.important@banque.ci"]);
  mailbox = await connectGmail(db, google, ADDRESS);
  await upsertRecipient(db, mailbox.organizationId, "test", { name: "Moussa Traoré", phone: PHONE });
  // Opted in, and wrote to us recently: inside the 24-hour window, so an interactive message.
  await db.pg.query(
    "update recipients set status = 'opted_in', opted_in_at = now(), last_inbound_at = now() where phone_e164 = $1",
    [PHONE],
  );
});

describe("Gmail push → WhatsApp alert, end to end", () => {
  it("delivers exactly the expected interactive message, analysed by Gemini", async () => {
    const added = deliverContract("#1");
    expect((await push(google, ADDRESS, added.historyId)).status).toBe(204);
    await drain();

    const sends = sendsTo("2250707123456");
    expect(sends).toHaveLength(1);
    const body = sends[0]!.body as {
      type: string;
      interactive: {
        body: { text: string };
        action: { buttons: { reply: { id: string; title: string } }[] };
      };
      biz_opaque_callback_data: string;
    };
    expect(body.type).toBe("interactive");
    const text = body.interactive.body.text;
    expect(text).toContain("*Critique*");
    expect(text).toContain("Contrat de prestation 15 000 000 FCFA");
    expect(text).toContain("client.important@banque.ci");
    expect(text).toContain("15 000 000 FCFA");
    // The label is applied after the alert (message.housekeeping): applied or on its way when it is rendered.
    expect(text).toMatch(/Action automatique : libellé « FluxAsync\/Critique » (appliqué|\(en cours\))/);
    expect(google.mailbox(ADDRESS).labelNames(added.id)).toContain("FluxAsync/Critique");
    expect(text).not.toContain("Analyse :"); // Gemini decided: no analyzer line
    expect(body.interactive.action.buttons.map((b) => b.reply.title)).toEqual([
      "✅ Traité",
      "⏰ Rappel 1 h",
      "↩️ Répondre",
    ]);
    const alert = await db.pg.query<{ id: string; status: string; provider_message_id: string }>(
      "select id, status, provider_message_id from alerts",
    );
    expect(alert.rows).toHaveLength(1);
    expect(body.biz_opaque_callback_data).toBe(alert.rows[0]!.id);
    expect(alert.rows[0]).toMatchObject({ status: "sent", provider_message_id: sends[0]!.wamid });
    // Gemini got the system instruction separately and the email as delimited data.
    expect(gemini.requests).toHaveLength(1);
    expect(gemini.requests[0]!.body.systemInstruction?.parts?.[0]?.text).toBeTruthy();
    const analyzed = await db.pg.query("select analyzer, llm_input_tokens from messages");
    expect(analyzed.rows[0]).toEqual({ analyzer: "gemini", llm_input_tokens: 420 });
  });

  it("sends once when the same push arrives twice", async () => {
    const added = deliverContract("#2");
    await push(google, ADDRESS, added.historyId);
    await push(google, ADDRESS, added.historyId);
    await drain();
    await push(google, ADDRESS, added.historyId);
    await makeDue();
    await drain();
    expect(sendsTo("2250707123456")).toHaveLength(1);
    expect(gemini.requests).toHaveLength(1);
  });

  it("retries after a WhatsApp 500 and still sends exactly once", async () => {
    meta.failNext(500);
    const added = deliverContract("#3");
    await push(google, ADDRESS, added.historyId);
    await drain();
    expect(sendsTo("2250707123456")).toHaveLength(0);
    const pending = await db.pg.query("select status from alerts");
    expect(pending.rows[0]).toEqual({ status: "pending" });
    await makeDue();
    await drain();
    await makeDue();
    await drain();
    expect(sendsTo("2250707123456")).toHaveLength(1);
    const final = await db.pg.query("select status, attempts from alerts");
    expect(final.rows[0]).toEqual({ status: "sent", attempts: 2 });
  });

  it("does not send again when the process dies between sending and recording", async () => {
    // Meta accepts the message but our side never hears back (the answer is lost).
    meta.failNext("hang_after_send");
    const added = deliverContract("#4");
    await push(google, ADDRESS, added.historyId);
    await drain();
    expect(sendsTo("2250707123456")).toHaveLength(1);
    const unknown = await db.pg.query<{ id: string; status: string }>("select id, status from alerts");
    expect(unknown.rows[0]!.status).toBe("unknown");

    // A retry before any news waits: nothing is sent twice.
    await makeDue();
    await drain();
    expect(sendsTo("2250707123456")).toHaveLength(1);

    // Meta's status webhook carries our alert id: the send is recorded without resending.
    const sent = sendsTo("2250707123456")[0]!;
    const res = await whatsappWebhook(
      signedWebhookRequest(
        statusWebhook({
          wamid: sent.wamid,
          status: "delivered",
          recipient: PHONE,
          alertId: unknown.rows[0]!.id,
        }),
        { appSecret: env.WHATSAPP_APP_SECRET },
      ),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(200);
    await drain();
    // Even once the wait is over, a known outcome is never sent again.
    await db.pg.query("update alerts set send_started_at = now() - interval '1 hour'");
    await makeDue();
    await drain();
    expect(sendsTo("2250707123456")).toHaveLength(1);
    const final = await db.pg.query("select status, provider_message_id from alerts");
    expect(final.rows[0]).toEqual({ status: "delivered", provider_message_id: sent.wamid });
  });
});
