import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getMailbox } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import { renewWatch } from "@/lib/jobs/watch";
import { deliverSandboxEmail } from "@/lib/local/sandbox-delivery";
import { logger } from "@/lib/log";
import { realPostgresAvailable, realPostgresDb } from "@/lib/testing/db";
import { type Account, addRecipient, createAccount } from "@/lib/testing/pipeline-fixtures";

/*
 * Issue #13: the drain survives processes killed mid-job on real PostgreSQL. Two drainer processes
 * (lib/testing/drain-child.ts) run the real registry (mailbox.sync → message.analyze →
 * message.analyzed → alert.send to the outbox) while emails arrive; the test kills one with
 * SIGKILL at a random moment while it holds running jobs, starts another, and so on. At the end
 * every delivered email is recorded once and analysed, every alert sent once, no job dead.
 */
const EMAILS = 16;
const KILLS = 4;
const CHILD = fileURLToPath(new URL("../lib/testing/drain-child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The drainers share one key ring, as production's processes share TOKEN_ENCRYPTION_KEYS. */
const CHILD_ENV = { ...process.env, TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}` };

let db: (Db & { url: string; drop(): Promise<void> }) | null = null;
let account: Account;
/** Addressed to the mailbox itself: mail the owner is only copied on alerts less. */
let mailboxAddress = "";
const children = new Set<ChildProcess>();

/** Progress on stderr: how long each phase took is the interesting part of a failure. */
const log = (line: string) => process.stderr.write(`drain-kill: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rows = async <T>(query: string, params: unknown[] = []) => {
  const { connectPostgres } = await import("@/lib/db/postgres");
  const sql = connectPostgres(db!.url, { max: 1 });
  try {
    return (await sql.unsafe(query, params as never[])) as unknown as T[];
  } finally {
    await sql.end();
  }
};

/** A drainer process; resolves once it has loaded its modules and starts claiming. */
function startDrainer(): Promise<ChildProcess> {
  // node itself (not the tsx wrapper, whose SIGKILL would leave its node child running).
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, db!.url], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: CHILD_ENV,
  });
  children.add(child);
  child.on("exit", () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`drainer exited with ${code} before it was ready`)));
  });
}

function email(i: number): string {
  const body = `Bonjour,\n\nMerci de signer le contrat n° ${i} de 15M FCFA aujourd'hui avant 17h.\n\n${"Détail des prestations et conditions de paiement.\n".repeat(400)}\nCordialement,\nAwa Koné`;
  return [
    // A colleague (the mailbox's own domain, authenticated): a contract to sign today is worth an
    // alert. From a stranger it would not be (the trust gate), and this test is about the drain.
    "Authentication-Results: mx.sandbox.test; dkim=pass header.d=entreprise.ci; dmarc=pass header.from=entreprise.ci",
    "From: Awa Koné <awa.kone@entreprise.ci>",
    `To: ${mailboxAddress}`,
    `Subject: Contrat n° ${i} à signer aujourd'hui`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${randomUUID()}@entreprise.ci>`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    body,
    "",
  ].join("\r\n");
}

describe.skipIf(!realPostgresAvailable())("the drain under kill -9 on PostgreSQL", () => {
  beforeAll(async () => {
    db = await realPostgresDb();
    account = await createAccount(db);
    const mailbox = (await getMailbox(db, account.mailboxId))!;
    mailboxAddress = mailbox.address;
    await renewWatch(db, mailbox, logger({ test: "drain-kill" }));
    await addRecipient(db, account.organizationId, { name: "Awa", phone: "+2250707123456" });
  });
  afterAll(async () => {
    await Promise.all(
      [...children].map((child) => new Promise((resolve) => child.once("exit", resolve).kill("SIGKILL"))),
    );
    await db?.drop();
  });

  it("loses and duplicates nothing when drainers are killed mid-job", { timeout: 600_000 }, async () => {
    const started = Date.now();
    const drainers = [await startDrainer(), await startDrainer()];
    log(`drainers ready after ${Math.round((Date.now() - started) / 1000)} s`);
    let delivered = 0;
    let killedMidJob = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      // Mail keeps arriving while drainers die.
      for (const end = delivered + EMAILS / KILLS; delivered < end; delivered++)
        await deliverSandboxEmail(db!, account.mailboxId, email(delivered));
      // Kill the drainer at the moment it holds a running job, or after a while regardless.
      const victim = drainers.shift()!;
      for (let wait = 0; wait < 40; wait++) {
        const [running] = await rows<{ n: number }>(
          "select count(*)::int as n from jobs where status = 'running'",
        );
        if ((running?.n ?? 0) > 0) {
          killedMidJob++;
          break;
        }
        await sleep(50 + Math.random() * 100);
      }
      victim.kill("SIGKILL");
      drainers.push(await startDrainer());
      log(`kill ${kill + 1}: ${delivered} delivered, ${killedMidJob} mid-job`);
    }
    expect(killedMidJob).toBeGreaterThan(0);

    // The survivors finish, taking over the dead drainers' jobs as their (heartbeated) leases expire.
    const deadline = Date.now() + 420_000;
    for (;;) {
      const [left] = await rows<{ n: number }>(
        `select (select count(*) from messages where mailbox_id = $1 and status <> 'analyzed')
              + (select count(*) from alerts where organization_id = $2 and status <> 'sent')
              + (select count(*) from jobs where status = 'running')
              + greatest(0, $3::int - (select count(*) from messages where mailbox_id = $1)) as n`,
        [account.mailboxId, account.organizationId, delivered],
      );
      if (Number(left?.n ?? 0) === 0 || Date.now() > deadline) break;
      await sleep(1_000);
    }
    log(
      `settled after ${Math.round((Date.now() - started) / 1000)} s, ${killedMidJob} of ${KILLS} kills mid-job`,
    );
    for (const child of drainers) child.kill("SIGKILL");

    const messages = await rows<{ provider_message_id: string; status: string; n: number }>(
      `select provider_message_id, status, count(*) over (partition by provider_message_id)::int as n
         from messages where mailbox_id = $1`,
      [account.mailboxId],
    );
    // 0 lost: every delivered email recorded and analysed. 0 duplicated: once each.
    expect(messages).toHaveLength(delivered);
    expect(messages.filter((m) => m.status !== "analyzed" || m.n !== 1)).toEqual([]);
    const alerts = await rows<{ message_id: string; status: string; n: number }>(
      `select message_id, status, count(*) over (partition by message_id)::int as n
         from alerts where organization_id = $1 and kind = 'alert'`,
      [account.organizationId],
    );
    expect(alerts).toHaveLength(delivered);
    expect(alerts.filter((a) => a.status !== "sent" || a.n !== 1)).toEqual([]);
    expect(await rows("select kind, last_error from jobs where status = 'dead'")).toEqual([]);
  });
});
