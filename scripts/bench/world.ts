import { setupServer } from "msw/node";
import { signIn } from "@/lib/db/accounts";
import { setDbForTests } from "@/lib/db/client";
import { connectMailbox } from "@/lib/db/mailboxes";
import { openPglite, type PGliteDb } from "@/lib/db/pglite";
import type { Db } from "@/lib/db/port";
import { upsertRecipient } from "@/lib/db/recipients";
import type { Mailbox } from "@/lib/db/schemas";
import { renewWatch } from "@/lib/jobs/watch";
import { log } from "@/lib/log";
import { loadSamples } from "@/lib/samples/samples";
import { keyRing } from "@/lib/security/keys";
import { sealJson } from "@/lib/security/vault";
import { createGoogleFake } from "@/lib/testing/google-fake";
import { createMetaFake } from "@/lib/testing/meta-fake";
import { geminiOracle } from "./gemini-oracle";

/** Counts every database call, for db_calls_per_email. */
function counting(db: PGliteDb) {
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
 * The benchmark's world in one process: an embedded database, fakes of Google, Gemini and Meta
 * behind msw, `mailboxes` Gmail mailboxes spread over organizations, each with an opted-in
 * WhatsApp recipient whose 24-hour window is open.
 */
export async function createWorld(opts: { mailboxes: number; orgs: number }) {
  const pg = await openPglite(null);
  const { db, counter } = counting(pg);
  setDbForTests(db);
  const samples = loadSamples();
  const google = createGoogleFake();
  const meta = createMetaFake();
  const gemini = geminiOracle(samples, { latencyMs: 0 });
  const server = setupServer(...google.handlers, ...meta.handlers, gemini.handler);
  server.listen({ onUnhandledRequest: "error" });

  const mailboxes: Mailbox[] = [];
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
    await pg.pg.query(
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
      const mailbox = await connectMailbox(db, {
        organizationId: account.organizationId,
        userId: account.userId,
        provider: "gmail",
        address,
        ciphertext: await sealJson(keyRing(), tokens),
        tokenExpiresAt: new Date(tokens.expiresAt),
      });
      await renewWatch(db, mailbox, log);
      mailboxes.push(mailbox);
    }
  }
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
    pushToken: "",
    onWhatsAppRequest: () => {},
  };
}

export type World = Awaited<ReturnType<typeof createWorld>>;
