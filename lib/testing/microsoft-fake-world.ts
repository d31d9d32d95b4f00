import { randomBytes, randomUUID } from "node:crypto";
import { delay, HttpResponse } from "msw";
import { permits } from "@/lib/testing/microsoft-fake-rules";

/** Shared state and helpers of the Microsoft fake (entry point: lib/testing/microsoft-fake.ts). */

export const LOGIN = "https://login.microsoftonline.com";
export const GRAPH = "https://graph.microsoft.com/v1.0";
export const FAKE_MSA_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad";
export const FAKE_WORK_TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";

export type FakeUser = { oid: string; tid: string; address: string; name: string; inboxFolderId: string };
/** A Graph `message` as the fake stores it (any documented field the test sets). */
export type FakeMessage = Record<string, unknown> & { id: string; receivedDateTime: string };
export type StoredMessage = { message: FakeMessage; folder: string; deleted: boolean };
export type Change = { seq: number; id: string; kind: "created" | "updated" | "removed" };
export type Mailbox = {
  user: FakeUser;
  messages: Map<string, StoredMessage>;
  changes: Change[];
  /** Bumped to invalidate every delta/skip token of the mailbox. */
  generation: number;
  categories: { id: string; displayName: string; color: string }[];
  /** What POST /me/messages/{id}/reply sent: the message answered, to whom, the comment (HTML). */
  replies: { messageId: string; to: string[]; comment: string }[];
  /** What POST /me/sendMail sent in MIME format: the decoded RFC 822 message. */
  sentMime: string[];
};
export type Fault = { status: 429 | 500 | 502 | 503 | 504; retryAfterSeconds?: number };

export type FakeSettings = {
  /** Added to every token and Graph answer. */
  latencyMs: number;
  /** Longest subscription lifetime accepted (Outlook messages: 10,080). */
  maxSubscriptionMinutes: number;
  /** Delta page size when the request sends no `Prefer: odata.maxpagesize`. */
  defaultPageSize: number;
  /** Graph quirks: repeat entries within a round; let `updated` entries through `changeType=created`. */
  quirks: { duplicateEntries: boolean; ignoreChangeTypeFilter: boolean };
};

export type FakeWorld = {
  clientId: string;
  clientSecret: string;
  settings: FakeSettings;
  mailboxes: Map<string, Mailbox>;
  /** Access tokens and the Graph permissions they were granted (a real token's `scp`). */
  accessTokens: Map<string, { userOid: string; expiresAt: number; permissions: readonly string[] }>;
  faults: Fault[];
  calls: Record<string, number>;
  seq: number;
};

export function createWorld(options: {
  clientId?: string;
  clientSecret?: string;
  latencyMs?: number;
  maxSubscriptionMinutes?: number;
  defaultPageSize?: number;
}): FakeWorld {
  return {
    clientId: options.clientId ?? "11111111-2222-3333-4444-555555555555",
    clientSecret: options.clientSecret ?? "fake-client-secret",
    settings: {
      latencyMs: options.latencyMs ?? 0,
      maxSubscriptionMinutes: options.maxSubscriptionMinutes ?? 10_080,
      defaultPageSize: options.defaultPageSize ?? 10,
      quirks: { duplicateEntries: false, ignoreChangeTypeFilter: false },
    },
    mailboxes: new Map(),
    accessTokens: new Map(),
    faults: [],
    calls: {},
    seq: 0,
  };
}

export const opaque = (prefix: string) => `${prefix}${randomBytes(24).toString("base64url")}`;
export const etag = () => `W/"CQAAABYAAAA${randomBytes(6).toString("base64url")}"`;

/** Graph's error envelope. */
export function graphError(status: number, code: string, message: string, headers?: Record<string, string>) {
  const innerError = {
    date: new Date().toISOString().slice(0, 19),
    "request-id": randomUUID(),
    "client-request-id": randomUUID(),
  };
  return HttpResponse.json({ error: { code, message, innerError } }, { status, headers });
}

export function mailboxOf(world: FakeWorld, oid: string): Mailbox {
  const mailbox = world.mailboxes.get(oid);
  if (!mailbox) throw new Error(`microsoft-fake: unknown user ${oid}`);
  return mailbox;
}

export function recordChange(world: FakeWorld, mailbox: Mailbox, id: string, kind: Change["kind"]): void {
  mailbox.changes.push({ seq: ++world.seq, id, kind });
}

export async function countCall(world: FakeWorld, name: string): Promise<void> {
  world.calls[name] = (world.calls[name] ?? 0) + 1;
  if (world.settings.latencyMs > 0) await delay(world.settings.latencyMs);
}

/** What every Graph handler does first: count, latency, injected faults, bearer token → mailbox. */
export async function graphPreamble(
  world: FakeWorld,
  request: Request,
  name: string,
): Promise<Mailbox | Response> {
  await countCall(world, name);
  const fault = world.faults.shift();
  if (fault) {
    const headers: Record<string, string> =
      fault.retryAfterSeconds === undefined ? {} : { "Retry-After": String(fault.retryAfterSeconds) };
    return fault.status === 429
      ? graphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", headers)
      : graphError(fault.status, "serviceNotAvailable", "Service unavailable.", headers);
  }
  const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  const session = token ? world.accessTokens.get(token) : undefined;
  if (!session || session.expiresAt <= Date.now()) {
    return graphError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.");
  }
  // Graph's answer to a token without the endpoint's permission (docs: "Microsoft Graph error
  // responses", 403 with code ErrorAccessDenied for Outlook resources).
  if (!permits(name, session.permissions)) {
    return graphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
  }
  return mailboxOf(world, session.userOid);
}
