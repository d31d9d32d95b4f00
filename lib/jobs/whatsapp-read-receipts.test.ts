import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The Cloud API configured through the environment, for this file only (lib/env.ts reads it once).
const CONFIG = vi.hoisted(() => {
  const vars = {
    WHATSAPP_ACCESS_TOKEN: "EAAtest",
    WHATSAPP_PHONE_NUMBER_ID: "106540352242922",
    WHATSAPP_APP_SECRET: "test-app-secret",
    WHATSAPP_VERIFY_TOKEN: "test-verify-token",
    WHATSAPP_DISPLAY_NUMBER: "+2250101010101",
  };
  Object.assign(process.env, vars);
  return vars;
});

import { HttpResponse, http } from "msw";
import type { PGliteDb } from "@/lib/db/pglite";
import { testDb } from "@/lib/testing/db";
import { createMetaFake, textWebhook } from "@/lib/testing/meta-fake";
import { server } from "@/lib/testing/msw";
import {
  addRecipient,
  createAccount,
  pipelineRegistry,
  receiveWebhook,
  testWhatsApp,
} from "@/lib/testing/pipeline-fixtures";

let db: PGliteDb;
beforeAll(async () => {
  db = await testDb();
});
afterAll(async () => {
  for (const key of Object.keys(CONFIG)) delete process.env[key];
  await db.close();
});

describe("read receipts", () => {
  it("marks a recipient's message read (blue ticks) and still answers it", async () => {
    const meta = createMetaFake();
    server.use(...meta.handlers);
    const account = await createAccount(db);
    await addRecipient(db, account.organizationId, { name: "Awa", phone: "+2250707000001" });
    await receiveWebhook(
      db,
      textWebhook({ from: "+2250707000001", body: "aide", wamid: "wamid.INBOUND1" }),
      pipelineRegistry({ whatsapp: testWhatsApp }),
    );
    expect(meta.readReceipts).toEqual(["wamid.INBOUND1"]);
    expect(meta.sent.filter((s) => s.to === "2250707000001")).toHaveLength(1);
  });

  it("answers even when the read receipt fails", async () => {
    const meta = createMetaFake();
    // Read receipts fail (Meta 500); sends fall through to the fake.
    server.use(
      http.post("https://graph.facebook.com/:version/:phoneId/messages", async ({ request }) => {
        const body = (await request.clone().json()) as { status?: string };
        if (body.status === "read") {
          return HttpResponse.json({ error: { code: 1, message: "unavailable" } }, { status: 500 });
        }
        return undefined;
      }),
      ...meta.handlers,
    );
    const account = await createAccount(db);
    await addRecipient(db, account.organizationId, { name: "Moussa", phone: "+2250707000002" });
    await receiveWebhook(
      db,
      textWebhook({ from: "+2250707000002", body: "aide", wamid: "wamid.INBOUND2" }),
      pipelineRegistry({ whatsapp: testWhatsApp }),
    );
    expect(meta.readReceipts).toEqual([]);
    expect(meta.sent.filter((s) => s.to === "2250707000002")).toHaveLength(1);
  });

  it("sends no receipt for a number that is nobody's recipient", async () => {
    const meta = createMetaFake();
    server.use(...meta.handlers);
    await receiveWebhook(
      db,
      textWebhook({ from: "+2250707999999", body: "bonjour", wamid: "wamid.STRANGER" }),
    );
    expect(meta.readReceipts).toEqual([]);
  });
});
