import { randomBytes, randomUUID } from "node:crypto";
import { identityFake } from "@/lib/testing/microsoft-fake-identity";
import { mailFake } from "@/lib/testing/microsoft-fake-mail";
import { subscriptionsFake } from "@/lib/testing/microsoft-fake-subscriptions";
import {
  createWorld,
  FAKE_MSA_TENANT_ID,
  FAKE_WORK_TENANT_ID,
  type FakeUser,
  type Fault,
} from "@/lib/testing/microsoft-fake-world";

export type { FakeSubscription } from "@/lib/testing/microsoft-fake-subscriptions";
export type { FakeUser, Fault } from "@/lib/testing/microsoft-fake-world";
export { FAKE_MSA_TENANT_ID, FAKE_WORK_TENANT_ID };

/**
 * Stateful msw fake of the Microsoft identity platform (v2.0) and Graph v1.0 mail, shaped like the
 * documented payloads: token endpoint (code + PKCE, refresh with rotation, AADSTS errors), JWKS and
 * id_tokens, per-user inboxes with delta rounds (nextLink/deltaLink, 410 SyncStateNotFound, optional
 * duplicates), messages and categories, subscriptions (max expiry, validation handshake, removal),
 * notification/lifecycle bodies, and faults (429/503 with Retry-After, latency), with call counters.
 *
 *   const ms = createMicrosoftFake();
 *   beforeEach(() => server.use(...ms.handlers));
 */
export function createMicrosoftFake(
  options: {
    clientId?: string;
    clientSecret?: string;
    latencyMs?: number;
    maxSubscriptionMinutes?: number;
    defaultPageSize?: number;
  } = {},
) {
  const world = createWorld(options);
  const { handlers: identityHandlers, ...identity } = identityFake(world);
  const { handlers: mailHandlers, ...mail } = mailFake(world);
  const { handlers: subscriptionHandlers, ...subscriptions } = subscriptionsFake(world);

  return {
    handlers: [...identityHandlers, ...mailHandlers, ...subscriptionHandlers],
    clientId: world.clientId,
    clientSecret: world.clientSecret,
    /** Mutable: latencyMs, maxSubscriptionMinutes, defaultPageSize, quirks. */
    settings: world.settings,
    /** Requests per endpoint: token, jwks, delta, messages.get, messages.patch, subscriptions.create… */
    calls: world.calls,
    /** Graph requests so far (identity endpoints excluded). */
    graphCalls: () =>
      Object.entries(world.calls)
        .filter(([name]) => name !== "token" && name !== "jwks")
        .reduce((n, [, v]) => n + v, 0),

    /** A Microsoft account with a mailbox; `personal` puts it in the consumer (MSA) tenant. */
    addUser(params: { address: string; name?: string; personal?: boolean; tid?: string }): FakeUser {
      const user: FakeUser = {
        oid: randomUUID(),
        tid: params.tid ?? (params.personal ? FAKE_MSA_TENANT_ID : FAKE_WORK_TENANT_ID),
        address: params.address,
        name: params.name ?? params.address.split("@")[0] ?? params.address,
        inboxFolderId: `AQMkAD${randomBytes(18).toString("base64url")}AAAA`,
      };
      world.mailboxes.set(user.oid, {
        user,
        messages: new Map(),
        changes: [],
        generation: 0,
        categories: [],
        replies: [],
        sentMime: [],
      });
      return user;
    },
    /** What the user's mailbox sent with message: reply (POST /me/messages/{id}/reply). */
    repliesOf(user: FakeUser) {
      return world.mailboxes.get(user.oid)?.replies ?? [];
    },
    /** What the user's mailbox sent with sendMail in MIME format (RFC 822 text). */
    sentMimeOf(user: FakeUser) {
      return world.mailboxes.get(user.oid)?.sentMime ?? [];
    },
    /** The next `n` Graph calls fail (429 ApplicationThrottled or 5xx), with Retry-After when given. */
    failNext(n: number, fault: Fault): void {
      for (let i = 0; i < n; i++) world.faults.push(fault);
    },
    ...identity,
    ...mail,
    ...subscriptions,
  };
}

export type MicrosoftFake = ReturnType<typeof createMicrosoftFake>;
