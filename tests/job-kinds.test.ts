import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PGliteDb } from "@/lib/db/pglite";
import { runPeriodicWork } from "@/lib/jobs/periodic";
import { JOB_DEFINITIONS } from "@/lib/jobs/registry";
import { testDb } from "@/lib/testing/db";
import { buttonReplyWebhook, statusWebhook } from "@/lib/testing/meta-fake";
import {
  addAnalyzedMessage,
  addRecipient,
  alertFor,
  createAccount,
  drainPipeline,
  receiveWebhook,
} from "@/lib/testing/pipeline-fixtures";

/*
 * Every job kind the database can hold is declared with defineJob (lib/jobs/registry.ts): SQL
 * functions never spell a kind or a key — they enqueue the specs the app hands them — and a run
 * of the whole pipeline leaves no row of an undeclared kind.
 */

let db: PGliteDb;
beforeAll(async () => {
  db = await testDb();
});
afterAll(() => db.close());

const declared = new Set<string>(JOB_DEFINITIONS.map((d) => d.kind));

describe("job kinds", () => {
  it("are declared once each", () => {
    expect(declared.size).toBe(JOB_DEFINITIONS.length);
  });

  it("are never spelled in SQL, and only job_enqueue inserts into jobs", async () => {
    const { rows } = await db.pg.query<{ name: string; body: string }>(
      `select p.proname as name, p.prosrc as body from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public'`,
    );
    expect(rows.length).toBeGreaterThan(50);
    const spelled = rows.flatMap((r) =>
      [...declared].filter((kind) => r.body.includes(`'${kind}'`)).map((kind) => `${r.name}: ${kind}`),
    );
    expect(spelled).toEqual([]);
    const inserting = rows.filter((r) => /insert\s+into\s+jobs\b/i.test(r.body)).map((r) => r.name);
    expect(inserting).toEqual(["job_enqueue"]);
  });

  it("a run of the pipeline (analysis, routing, alerts, buttons, statuses, escalations, digests) produces only declared kinds", async () => {
    const account = await createAccount(db);
    const awa = await addRecipient(db, account.organizationId, {
      name: "Awa Koné",
      phone: "+2250707123456",
      escalationDelayMinutes: 1,
      digestHour: 0,
    });
    await addRecipient(db, account.organizationId, {
      name: "Koffi Yao",
      phone: "+2250707000005",
      role: "manager",
      escalationTarget: true,
      categories: ["tax"],
    });
    const { messageId } = await addAnalyzedMessage(db, account, { priority: "critical" });
    await addAnalyzedMessage(db, account, { priority: "informational", category: "newsletter" });
    await drainPipeline(db);
    const alert = await alertFor(db, account, messageId, awa.id);
    const wamid = alert.providerMessageId!;
    await receiveWebhook(
      db,
      statusWebhook({ wamid, status: "delivered", recipient: awa.address, alertId: alert.id }),
    );
    await receiveWebhook(
      db,
      buttonReplyWebhook({
        from: awa.address,
        buttonId: `snooze:${alert.id}`,
        title: "Rappel 1 h",
        contextWamid: wamid,
      }),
    );
    await db.pg.query("update alerts set sent_at = now() - interval '5 minutes' where kind = 'alert'");
    await runPeriodicWork(db);
    await drainPipeline(db);

    const { rows } = await db.pg.query<{ kind: string }>("select distinct kind from jobs order by kind");
    const kinds = rows.map((r) => r.kind);
    expect(kinds.filter((k) => !declared.has(k))).toEqual([]);
    // The run did reach every kind the WhatsApp side and routing produce (the mail side is in tests/gmail-*).
    expect(kinds).toEqual(
      expect.arrayContaining([
        "message.analyze",
        "message.analyzed",
        "alert.send",
        "whatsapp.event",
        "digest.send",
      ]),
    );
    const escalations = await db.pg.query("select 1 from alerts where kind = 'escalation'");
    expect(escalations.rows).toHaveLength(1);
  });
});
