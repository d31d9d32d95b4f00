import os from "node:os";
import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as cronWork } from "@/app/api/cron/work/route";
import { analyzeMessage } from "@/lib/analysis/analyze";
import { warmUpAnalysis } from "@/lib/analysis/warm-up";
import { setDbForTests } from "@/lib/db/client";
import { getMailbox } from "@/lib/db/mailboxes";
import type { PGliteDb } from "@/lib/db/pglite";
import { env } from "@/lib/env";
import { renewWatch } from "@/lib/jobs/watch";
import { deliverSandboxEmail } from "@/lib/local/sandbox-delivery";
import { logger } from "@/lib/log";
import { wellFormed } from "@/lib/mail/clean-text";
import { parseRawMessageOffThread } from "@/lib/mail/mime-off-thread";
import { NO_RELATIONSHIP } from "@/lib/relationships/facts";
import { HOSTILE_CASES } from "@/lib/samples/hostile-mime";
import { testDb } from "@/lib/testing/db";
import { type Account, addRecipient, createAccount } from "@/lib/testing/pipeline-fixtures";

/*
 * The hostile-MIME corpus (lib/samples/hostile-mime.ts) through the real pipeline: delivered into a
 * sandbox mailbox, drained by the cron route (mailbox.sync → message.analyze → alerts). Every email
 * must end in a terminal state (never `pending` forever), no request may answer 5xx, and the event
 * loop must keep answering: monitorEventLoopDelay measures the longest stall while it runs.
 *
 * The thresholds are those of a machine with a core to spare. On a shared, loaded machine the
 * event loop also waits for the operating system to schedule it (a 2-core box at load 30 stalls
 * every process for hundreds of milliseconds, whatever it runs), so they are scaled by the load
 * per core, never lowered below the idle figure; `npm run bench` prints the figures of one run.
 */
const loadFactor = () => Math.max(1, os.loadavg()[0]! / os.availableParallelism());
const STALL_MS = 250;
/** Through the whole pipeline (sync, analysis, alerts), with PGlite's queries on the same thread. */
const PIPELINE_STALL_MS = 500;
const analysisContext = {
  locale: "fr" as const,
  timeZone: "Africa/Abidjan",
  senderRules: [],
  mailboxAddress: "direction@sahel-negoce.ci",
  relationship: NO_RELATIONSHIP,
};

let db: PGliteDb;
let account: Account;
const log = logger({ test: "hostile-mime" });
const ctx = { params: Promise.resolve({}) };

const stallMs = (h: IntervalHistogram) => h.max / 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  db = await testDb();
  setDbForTests(db);
  account = await createAccount(db);
  await renewWatch(db, (await getMailbox(db, account.mailboxId))!, log);
  await addRecipient(db, account.organizationId, { name: "Awa", phone: "+2250707123456" });
});
afterAll(async () => {
  setDbForTests(undefined);
  await db.close();
});

describe("hostile MIME", () => {
  it("parses every case at the boundary without stalling the event loop", { timeout: 300_000 }, async () => {
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const stalls: Record<string, number> = {};
    for (const c of HOSTILE_CASES) {
      const raw = c.raw();
      h.reset();
      await sleep(25);
      const msg = await parseRawMessageOffThread(raw, { providerMessageId: c.name });
      await sleep(25);
      stalls[c.name] = Math.round(stallMs(h));
      // What reaches the database and the dashboard: valid Unicode, no NUL, no control character.
      const text = JSON.stringify([msg.from, msg.subject, msg.to, msg.headers, msg.text, msg.attachments]);
      expect(wellFormed(text) === text, `${c.name}: lone surrogate`).toBe(true);
      expect(/\\u0000|\\u001b/.test(text), `${c.name}: control character`).toBe(false);
      expect(Number.isNaN(Date.parse(msg.date)), c.name).toBe(false);
      expect(new Date(msg.date).getUTCFullYear(), c.name).toBeLessThan(2100);
      expect(msg.subject.length, c.name).toBeLessThanOrEqual(998);
      expect(msg.cc.length, c.name).toBeLessThanOrEqual(200);
    }
    h.disable();
    log.info("hostile_mime.parse_stalls", { stalls });
    const over = Object.entries(stalls).filter(([, ms]) => ms > STALL_MS * loadFactor());
    expect(over).toEqual([]);
  });

  it("analyses every case in bounded steps: the event loop keeps its turn", {
    timeout: 300_000,
  }, async () => {
    // What a server does at start (instrumentation.ts): lazy library start-up is nobody's email's.
    await warmUpAnalysis();
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const stalls: Record<string, number> = {};
    for (const c of HOSTILE_CASES) {
      const msg = await parseRawMessageOffThread(c.raw(), { providerMessageId: c.name });
      await sleep(25);
      h.reset();
      // A timer due every 5 ms keeps firing while the analysis runs: it is not one long block.
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      await analyzeMessage(msg, analysisContext, { geminiApiKey: null, geminiModel: "none" });
      const took = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      clearInterval(timer);
      await sleep(25);
      stalls[c.name] = Math.round(stallMs(h));
      // Wall time alone also counts the time a loaded machine did not run this process at all (CI
      // runs two test files and a browser at once): one long block is one that also spent that long
      // on the CPU.
      if (took > 200 * loadFactor() && cpuMs > 200)
        expect(ticks, `${c.name}: no timer ran in ${took} ms (${cpuMs} ms of CPU)`).toBeGreaterThan(1);
    }
    h.disable();
    log.info("hostile_mime.analysis_stalls", { stalls });
    const over = Object.entries(stalls).filter(([, ms]) => ms > STALL_MS * loadFactor());
    expect(over).toEqual([]);
  });

  it("brings every email to a final state through the pipeline, with no 5xx and no long stall", {
    timeout: 900_000,
  }, async () => {
    const drain = async () => {
      const res = await cronWork(
        new Request("https://app.fluxasync.test/api/cron/work", {
          headers: { authorization: `Bearer ${env.CRON_SECRET}` },
        }),
        ctx,
      );
      // Retries wait for their backoff: let it pass, as the next cron tick would.
      await db.pg.query("update jobs set run_at = now() where status = 'pending'");
      return { status: res.status, claimed: ((await res.json()) as { claimed?: number }).claimed ?? 0 };
    };
    // What a server does at start (instrumentation.ts), then an ordinary email: module loading and
    // JIT warm-up are not a hostile email's doing.
    await warmUpAnalysis();
    await deliverSandboxEmail(
      db,
      account.mailboxId,
      HOSTILE_CASES.find((c) => c.name === "bidi-sender")!.raw(),
    );
    await drain();

    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const results: Array<{ name: string; status: string; stallMs: number; http: number[] }> = [];
    for (const c of HOSTILE_CASES) {
      const { id } = await deliverSandboxEmail(db, account.mailboxId, c.raw());
      h.reset();
      await sleep(25);
      const http: number[] = [];
      let status = "pending";
      for (let pass = 0; pass < 12 && status === "pending"; pass++) {
        const { status: code, claimed } = await drain();
        http.push(code);
        const { rows } = await db.pg.query<{ status: string }>(
          "select status from messages where mailbox_id = $1 and provider_message_id = $2",
          [account.mailboxId, id],
        );
        status = rows[0]?.status ?? "pending";
        if (claimed === 0 && status === "pending" && pass > 8) break;
      }
      await sleep(25);
      results.push({ name: c.name, status, stallMs: Math.round(stallMs(h)), http });
    }
    h.disable();
    log.info("hostile_mime.pipeline_stalls", {
      stalls: Object.fromEntries(results.map((r) => [r.name, r.stallMs])),
    });

    expect(results.filter((r) => r.http.some((code) => code >= 500))).toEqual([]);
    // A case that still depends on another engineer's change (its `dependsOn`) is held to the
    // boundary test above only; the README's hostile-input section lists what is left.
    const held = (name: string) => Boolean(HOSTILE_CASES.find((c) => c.name === name)?.dependsOn);
    expect(
      results.filter((r) => !held(r.name) && !["analyzed", "failed", "skipped"].includes(r.status)),
    ).toEqual([]);
    expect(results.filter((r) => r.stallMs > PIPELINE_STALL_MS * loadFactor())).toEqual([]);
  });
});
