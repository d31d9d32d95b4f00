import path from "node:path";
import { setupServer } from "msw/node";
import { drainSettings } from "@/lib/config/drain";
import { signIn } from "@/lib/db/accounts";
import { setDbForTests } from "@/lib/db/client";
import { connectMailbox } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import { upsertRecipient } from "@/lib/db/recipients";
import type { Mailbox } from "@/lib/db/schemas";
import { drainJobs } from "@/lib/jobs/drain";
import { enqueue } from "@/lib/jobs/enqueue";
import { jobRegistry } from "@/lib/jobs/registry";
import { relationshipSyncJob } from "@/lib/jobs/relationship-sync";
import { renewWatch } from "@/lib/jobs/watch";
import { log } from "@/lib/log";
import { providerUsage, resetProviderUsage } from "@/lib/mail/meter";
import { readProfileFile } from "@/lib/samples/eval-sets";
import { loadSamples, SAMPLES_PATH } from "@/lib/samples/samples";
import { keyRing } from "@/lib/security/keys";
import { sealJson } from "@/lib/security/vault";
import { createGoogleFake } from "@/lib/testing/google-fake";
import { createMetaFake } from "@/lib/testing/meta-fake";
import { geminiOracle } from "./gemini-oracle";
import { scratchDb } from "./scratch-db";

/** Counts every database call, for db_calls_per_email. */
function counting(db: Db) {
  const counter = { calls: 0 };
  const wrapped: Db = {
    transport: db.transport,
    close: () => db.close(),
    rpc: (n, a) => {
      counter.calls++;
      return db.rpc(n, a);
    },
  };
  return { db: wrapped, counter };
}

/**
 * The benchmark's world in one process: a database (a scratch database on the PostgreSQL server of
 * `DATABASE_URL` when it is set, its own process as in production; else PGlite in this process), fakes of Google, Gemini and Meta
 * behind msw, `mailboxes` Gmail mailboxes spread over organizations, each with an opted-in
 * WhatsApp recipient whose 24-hour window is open.
 */
export async function createWorld(opts: { mailboxes: number; orgs: number }) {
  // The pool sized as production sizes it for the drain (DATABASE_POOL_MAX).
  const pg = await scratchDb("world", { poolMax: drainSettings().poolMax });
  const { db, counter } = counting(pg.db);
  setDbForTests(db);
  const samples = loadSamples();
  const correspondents = readProfileFile(
    path.join(path.dirname(SAMPLES_PATH), "profile.json"),
  ).correspondents.filter((c) => !c.startsWith("@"));
  const google = createGoogleFake();
  const meta = createMetaFake();
  const gemini = geminiOracle(samples, { latencyMs: 0 });
  const server = setupServer(...google.handlers, ...meta.handlers, gemini.handler);
  server.listen({ onUnhandledRequest: "error" });

  const mailboxes: Mailbox[] = [];
  /** Which mailbox an access token opens: tells the bench whose history our own modify changed. */
  const tokenOwner = new Map<string, string>();
  for (let o = 0; o < opts.orgs; o++) {
    const account = await signIn(db, {
      provider: "google",
      subject: `bench-${o}`,
      email: `dg${o}@bench.ci`,
      name: `Org ${o}`,
    });
    await upsertRecipient(db, account.organizationId, "bench", {
      name: `DG ${o}`,
      phone: `+22507070${String(10000 + o).slice(-5)}`,
    });
    await pg.query(
      "update recipients set status = 'opted_in', opted_in_at = now(), last_inbound_at = now() where organization_id = $1",
      [account.organizationId],
    );
    for (let m = o; m < opts.mailboxes; m += opts.orgs) {
      const address = `boite${m}@bench.ci`;
      const tokens = {
        accessToken: google.accessToken(address, 24 * 3600),
        refreshToken: google.refreshToken(address),
        expiresAt: Date.now() + 24 * 3600_000,
        scope: "https://www.googleapis.com/auth/gmail.modify",
      };
      tokenOwner.set(tokens.accessToken, address);
      const mailbox = await connectMailbox(db, {
        organizationId: account.organizationId,
        userId: account.userId,
        provider: "gmail",
        address,
        ciphertext: await sealJson(keyRing(), tokens),
        tokenExpiresAt: new Date(tokens.expiresAt),
      });
      // The owner has written to the samples' correspondents: the relationship store's backfill.
      for (const to of correspondents) {
        google
          .mailbox(address)
          .addMessage({ from: address, to, subject: "Suivi", text: "Merci.", labels: ["SENT"] });
      }
      await renewWatch(db, mailbox, log);
      mailboxes.push(mailbox);
    }
  }
  // The Sent-folder backfill of every mailbox, metered: quota units per sent email read.
  resetProviderUsage();
  for (const m of mailboxes) await enqueue(db, relationshipSyncJob, { mailboxId: m.id });
  await drainJobs(db, jobRegistry(), { budgetMs: 300_000, kinds: ["relationship.sync"] });
  const sentEmails = mailboxes.length * correspondents.length;
  const backfill = {
    gmailUnitsPerSentEmail: providerUsage.gmailQuotaUnits / sentEmails,
    gmailCallsPerSentEmail: providerUsage.gmailCalls / sentEmails,
  };
  return {
    pg,
    db,
    counter,
    google,
    meta,
    gemini,
    server,
    samples,
    mailboxes,
    backfill,
    tokenOwner,
    pushToken: "",
    onWhatsAppRequest: () => {},
  };
}

export type World = Awaited<ReturnType<typeof createWorld>>;
