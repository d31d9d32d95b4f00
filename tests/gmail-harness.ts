import path from "node:path";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { GET as googleCallback } from "@/app/api/auth/google/callback/route";
import { GET as googleStart } from "@/app/api/auth/google/start/route";
import { GET as pollCron } from "@/app/api/cron/poll/route";
import { GET as renewCron } from "@/app/api/cron/renew/route";
import { POST as gmailWebhook } from "@/app/api/webhooks/gmail/route";
import { setDbForTests } from "@/lib/db/client";
import { findMailboxByAddress } from "@/lib/db/mailboxes";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Db } from "@/lib/db/port";
import type { Mailbox } from "@/lib/db/schemas";
import { env } from "@/lib/env";
import { type DrainOptions, drainJobs, type JobRegistry } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
import { readProfileFile } from "@/lib/samples/eval-sets";
import { testDb } from "@/lib/testing/db";
import { createGoogleFake, type GoogleFake } from "@/lib/testing/google-fake";
import type { FakeMessageSpec } from "@/lib/testing/google-fake-mime";
import { server } from "@/lib/testing/msw";

/*
 * Shared steps of the Gmail pipeline suites: the real route handlers called the way Next calls
 * them, the real jobs drained explicitly (after() does nothing outside a request), Google faked by
 * msw (lib/testing/google-fake.ts).
 */

const routeCtx = { params: Promise.resolve({}) };
export const APP = env.APP_URL;

/** `name=value` pairs of a response's Set-Cookie headers (attributes dropped). */
export function setCookies(res: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(";")[0] ?? "";
    const at = pair.indexOf("=");
    out.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return out;
}

/** GET /api/auth/google/start: the Google URL it redirects to and the flow cookie. */
export async function startGoogle(query = "") {
  const res = await googleStart(new Request(`${APP}/api/auth/google/start${query}`), routeCtx);
  const flow = setCookies(res).get("fa_oauth") ?? "";
  return { res, location: res.headers.get("location") ?? "", cookie: `fa_oauth=${flow}` };
}

export function callGoogleCallback(url: string, cookie: string | null) {
  return googleCallback(new Request(url, { headers: cookie ? { cookie } : {} }), routeCtx);
}

/** The whole browser round trip: start → Google consent → callback. */
export async function signInWithGoogle(
  fake: GoogleFake,
  address: string,
  user: Omit<Parameters<GoogleFake["consent"]>[1], "address"> = {},
  query = "",
) {
  const { location, cookie } = await startGoogle(query);
  const callbackUrl = fake.consent(location, { ...user, address });
  return callGoogleCallback(callbackUrl, cookie);
}

/** Signs up through the routes and returns the connected mailbox. */
export async function connectGmail(db: Db, fake: GoogleFake, address: string): Promise<Mailbox> {
  const res = await signInWithGoogle(fake, address);
  if (res.status !== 303 || !res.headers.get("location")?.endsWith("/onboarding")) {
    throw new Error(`sign-up failed: ${res.status} ${res.headers.get("location")}`);
  }
  const mailbox = await findMailboxByAddress(db, "gmail", address);
  if (!mailbox) throw new Error("sign-up created no mailbox");
  // Sign-up queues a sync that sets the start cursor; run it and clear the queue, so each
  // scenario starts from a connected mailbox with nothing pending.
  await drainMail(db);
  await (db as PGliteDb).pg.query("delete from jobs");
  return (await findMailboxByAddress(db, "gmail", address)) ?? mailbox;
}

/** POST /api/webhooks/gmail. `token: null` sends no Authorization header. */
export async function postPush(body: unknown, token: string | null) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  return gmailWebhook(
    new Request(`${APP}/api/webhooks/gmail`, { method: "POST", headers, body: raw }),
    routeCtx,
  );
}

/** A genuine push for the mailbox's current history id (or `historyId`). */
export async function push(fake: GoogleFake, address: string, historyId?: string) {
  return postPush(fake.pushEnvelope(address, historyId ? { historyId } : {}), await fake.mintPushToken());
}

export function cron(route: "poll" | "renew", bearer: string | null = env.CRON_SECRET) {
  const handler = route === "poll" ? pollCron : renewCron;
  const headers: Record<string, string> = bearer === null ? {} : { authorization: `Bearer ${bearer}` };
  return handler(new Request(`${APP}/api/cron/${route}`, { headers }), routeCtx);
}

/** Drains the mail pipeline's jobs (alerts belong to the WhatsApp suites). */
export function drainMail(db: Db, opts: DrainOptions & { registry?: JobRegistry } = {}) {
  const { registry, ...rest } = opts;
  return drainJobs(db, registry ?? jobRegistry(), {
    budgetMs: 15_000,
    kinds: [
      "mailbox.sync",
      "message.analyze",
      "message.analyzed",
      "message.housekeeping",
      "relationship.sync",
    ],
    ...rest,
  });
}

/** Time passes: every pending job (backoff, Retry-After, deferral) is due now, every throttle over. */
export async function makeJobsDue(db: PGliteDb) {
  await db.pg.query("update jobs set run_at = now() where status = 'pending'");
  await db.pg.query(
    "update mailbox_sync_state set throttled_until = null, window_started_at = now() - interval '1 hour'",
  );
}

export async function recordedIds(db: PGliteDb, mailboxId: string): Promise<string[]> {
  const { rows } = await db.pg.query<{ id: string }>(
    "select provider_message_id as id from messages where mailbox_id = $1 order by provider_message_id",
    [mailboxId],
  );
  return rows.map((r) => r.id);
}

export async function count(db: PGliteDb, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.pg.query<{ n: number }>(`select count(*)::int as n from (${sql}) q`, params);
  return rows[0]?.n ?? 0;
}

export async function mailboxRow(db: PGliteDb, mailboxId: string) {
  const { rows } = await db.pg.query<{
    cursor: string | null;
    status: string;
    watch_expires_at: Date | null;
  }>("select cursor, status, watch_expires_at from mailboxes where id = $1", [mailboxId]);
  return rows[0]!;
}

/** Every row of every table an email or a token could leak into, as text. */
export async function databaseText(db: PGliteDb): Promise<string> {
  const tables = [
    "organizations",
    "users",
    "mailboxes",
    "messages",
    "jobs",
    "alerts",
    "audit_log",
    "recipients",
  ];
  const parts: string[] = [];
  for (const table of tables) {
    const { rows } = await db.pg.query<{ t: string }>(`select row_to_json(x)::text as t from ${table} x`);
    parts.push(...rows.map((r) => r.t));
  }
  return parts.join("\n");
}

/** Empties every table between tests (one database per file: loading one costs over a second). */
export async function resetDb(db: PGliteDb) {
  await db.pg.exec("truncate organizations, jobs, audit_log cascade");
}

/** Delivers mail to the fake inbox: ids in delivery order. */
export function deliver(fake: GoogleFake, address: string, n: number, spec: Partial<FakeMessageSpec> = {}) {
  const box = fake.mailbox(address);
  return Array.from({ length: n }, (_, i) =>
    box.addMessage({
      from: "Awa Traoré <awa@fournisseur.ci>",
      subject: `Point hebdomadaire ${i + 1}`,
      text: "Bonjour, voici le point de la semaine. Rien d'urgent.",
      ...spec,
    }),
  );
}

/** A Db that runs `sabotage` in place of one named function call: a process dying mid-job. */
export function dyingDb(
  db: Db,
  fn: string,
  sabotage: (args: Record<string, unknown>) => Promise<unknown>,
): Db {
  let armed = true;
  return {
    transport: db.transport,
    close: () => db.close(),
    rpc(name, args = {}) {
      if (armed && name === fn) {
        armed = false;
        return sabotage(args);
      }
      return db.rpc(name, args);
    },
  };
}

export type GmailSuite = { db: PGliteDb; fake: GoogleFake; mailbox: Mailbox | null };

/**
 * The people the suites' mailbox owner has written to before signing up (their Sent folder): the
 * sample set's correspondents and the suites' usual supplier. The relationship store learns them
 * from these SENT messages at connect, as it would from a real mailbox.
 */
export const SUITE_CORRESPONDENTS = [
  ...readProfileFile(path.join("lib", "samples", "profile.json")).correspondents.filter(
    (c) => !c.startsWith("@"),
  ),
  "awa@fournisseur.ci",
];

/** One sent email from the owner to each address, a month before the suite's mail. */
export function seedSentMail(fake: GoogleFake, address: string, recipients: string[]) {
  const box = fake.mailbox(address);
  for (const to of recipients) {
    box.addMessage({
      from: address,
      to,
      subject: "Suivi",
      text: "Bonjour, merci pour votre retour.",
      labels: ["SENT"],
      receivedAt: new Date(Date.now() - 30 * 86_400_000),
    });
  }
}

/**
 * The set-up every Gmail suite shares: one migrated database per file (loading one takes 1–2 s),
 * reset before each test; a fresh Google fake; and, with `address`, that mailbox signed up through
 * the routes. `ready` hands them to the file before each test.
 */
export function setUpGmailSuite(opts: {
  address?: string;
  /** Who the owner wrote to before signing up (their Sent folder); none by default, a brand-new mailbox. */
  correspondents?: string[];
  ready: (suite: GmailSuite) => void;
}): void {
  let db: PGliteDb;
  beforeAll(async () => {
    db = await testDb();
    setDbForTests(db);
  });
  afterAll(async () => {
    setDbForTests(undefined);
    await db.close();
  });
  beforeEach(async () => {
    await resetDb(db);
    const fake = createGoogleFake({ topicName: env.GMAIL_PUBSUB_TOPIC });
    server.use(...fake.handlers);
    if (opts.address && opts.correspondents) seedSentMail(fake, opts.address, opts.correspondents);
    const mailbox = opts.address ? await connectGmail(db, fake, opts.address) : null;
    opts.ready({ db, fake, mailbox });
  });
}
