import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { GET as callbackRoute } from "@/app/api/auth/microsoft/callback/route";
import { GET as startRoute } from "@/app/api/auth/microsoft/start/route";
import { POST as webhookRoute } from "@/app/api/webhooks/outlook/route";
import { setDbForTests } from "@/lib/db/client";
import { findMailboxByAddress } from "@/lib/db/mailboxes";
import type { PGliteDb } from "@/lib/db/pglite";
import type { Db } from "@/lib/db/port";
import type { Mailbox } from "@/lib/db/schemas";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
import { testDb } from "@/lib/testing/db";
import {
  createMicrosoftFake,
  type FakeSubscription,
  type FakeUser,
  type MicrosoftFake,
} from "@/lib/testing/microsoft-fake";
import { server } from "@/lib/testing/msw";

/** Shared steps of the Outlook suites (tests/outlook-*.test.ts): real routes, real jobs, the msw fake. */

export const APP = "https://app.fluxasync.test";
export const WEBHOOK_URL = `${APP}/api/webhooks/outlook`;
const routeCtx = { params: Promise.resolve({}) };

/**
 * The frame every Outlook suite shares: one migrated database per file (the app's database for
 * the routes too), one Microsoft fake whose state lives as long as the file, its handlers installed
 * before each test and the job queue emptied, so a test starts from what earlier tests left in
 * the mailbox but never from their pending work. Returns the fake; `ready` receives the database.
 */
export function setUpOutlookSuite(opts: { ready: (db: PGliteDb) => void }): MicrosoftFake {
  const ms = createMicrosoftFake();
  let db: PGliteDb;
  beforeAll(async () => {
    db = await testDb();
    setDbForTests(db);
    opts.ready(db);
  });
  afterAll(async () => {
    setDbForTests(undefined);
    await db.close();
  });
  beforeEach(async () => {
    server.use(...ms.handlers);
    await db.pg.query("delete from jobs");
  });
  return ms;
}

export function newUser(ms: MicrosoftFake, opts: { personal?: boolean; name?: string } = {}): FakeUser {
  const local = `awa.${randomBytes(4).toString("hex")}`;
  return ms.addUser({
    address: `${local}@${opts.personal ? "outlook.com" : "contoso-ci.com"}`,
    name: opts.name ?? "Awa Koné",
    personal: opts.personal,
  });
}

export const minutesAgo = (m: number) =>
  new Date(Date.now() - m * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** GET /api/auth/microsoft/start: the authorization URL and the flow cookie to send back. */
export async function startSignIn(
  query = "",
): Promise<{ response: Response; location: string; cookie: string }> {
  const response = await startRoute(new Request(`${APP}/api/auth/microsoft/start${query}`), routeCtx);
  const location = response.headers.get("location") ?? "";
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .filter((c) => c.startsWith("fa_oauth="))
    .join("; ");
  return { response, location, cookie };
}

/** The callback, as the browser calls it after Microsoft redirected it. */
export function callback(url: string | URL, cookie: string): Promise<Response> {
  return callbackRoute(new Request(url.toString(), { headers: { cookie } }), routeCtx);
}

/** The whole browser dance: start → Microsoft consent (the fake) → our callback. */
export async function signIn(ms: MicrosoftFake, user: FakeUser): Promise<Response> {
  const { location, cookie } = await startSignIn();
  return callback(ms.approve(location, user), cookie);
}

/** Emails the user sent before signing up (Sent Items): the relationship store learns them at connect. */
export function seedSentItems(
  ms: MicrosoftFake,
  user: FakeUser,
  recipients: string[],
  at = new Date(Date.now() - 30 * 86_400_000),
) {
  const sentAt = at.toISOString().replace(/\.\d{3}Z$/, "Z");
  for (const address of recipients) {
    ms.addMessage(
      user,
      {
        subject: "Suivi",
        from: { emailAddress: { address: user.address } },
        toRecipients: [{ emailAddress: { address } }],
        internetMessageId: `<sent-${address.replace(/[^a-z0-9]/gi, "")}@outlook.fake>`,
        sentDateTime: sentAt,
        receivedDateTime: sentAt,
      },
      "sentitems",
    );
  }
}

/** Signs the user up through the routes and returns the connected Outlook mailbox. */
export async function connectOutlook(db: Db, ms: MicrosoftFake, user: FakeUser): Promise<Mailbox> {
  const res = await signIn(ms, user);
  if (res.status !== 303 || !res.headers.get("location")?.startsWith(APP)) {
    throw new Error(`sign-in failed: ${res.status} ${res.headers.get("location")}`);
  }
  const mailbox = await findMailboxByAddress(db, "outlook", user.address);
  if (!mailbox) throw new Error("no mailbox after sign-in");
  return mailbox;
}

/** What Graph POSTs to our notification URL. */
export function postToWebhook(body: unknown, url = WEBHOOK_URL): Promise<Response> {
  return webhookRoute(
    new Request(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    routeCtx,
  );
}

/** Graph's validation handshake goes through the route too. */
export const webhookHandler = (request: Request) => webhookRoute(request, routeCtx);

/** The live subscription the fake holds for this user. */
export function liveSubscription(ms: MicrosoftFake, user: FakeUser): FakeSubscription {
  const live = ms
    .subscriptions()
    .filter((s) => s.userOid === user.oid && !s.removed && Date.parse(s.expirationDateTime) > Date.now());
  if (live.length !== 1) throw new Error(`expected one live subscription, found ${live.length}`);
  return live[0] as FakeSubscription;
}

export function drain(db: Db, kinds?: string[]) {
  return drainJobs(db, jobRegistry(), { budgetMs: 15_000, kinds });
}

export async function recordedIds(db: PGliteDb, mailboxId: string): Promise<string[]> {
  const { rows } = await db.pg.query<{ id: string }>(
    "select provider_message_id as id from messages where mailbox_id = $1 order by provider_message_id",
    [mailboxId],
  );
  return rows.map((r) => r.id);
}

export async function jobsOf(db: PGliteDb, mailboxId: string) {
  const { rows } = await db.pg.query<{
    kind: string;
    key: string;
    status: string;
    run_at: Date;
    attempts: number;
    last_error: string | null;
  }>(
    // The mailbox's own jobs (sync, renew): a message's analysis names its mailbox too, and the
    // Sent-folder reading that follows every sync has its own suite (relationship-store tests).
    "select kind, key, status, run_at, attempts, last_error from jobs where payload->>'mailboxId' = $1 and not payload ? 'messageId' and kind <> 'relationship.sync' order by id",
    [mailboxId],
  );
  return rows;
}

/** A database port that counts calls and can fail chosen functions (persistence failures). */
export function instrumentedDb(inner: Db, failing: Set<string> = new Set()) {
  const calls: string[] = [];
  const db: Db = {
    transport: inner.transport,
    rpc: (name, args) => {
      calls.push(name);
      if (failing.has(name)) return Promise.reject(new Error("connection terminated unexpectedly"));
      return inner.rpc(name, args);
    },
    close: () => inner.close(),
  };
  return { db, calls };
}
