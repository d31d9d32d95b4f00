import { randomBytes, randomUUID } from "node:crypto";
import { type HttpHandler, HttpResponse, http } from "msw";
import { z } from "zod";
import {
  etag,
  type FakeWorld,
  GRAPH,
  graphError,
  graphPreamble,
  mailboxOf,
} from "@/lib/testing/microsoft-fake-world";

/** Graph subscriptions (create with validation handshake, renew, delete, removal) and the POST bodies Graph sends. */

export type FakeSubscription = {
  id: string;
  userOid: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: string;
  removed: boolean;
};
export type FakeLifecycleEvent = "reauthorizationRequired" | "subscriptionRemoved" | "missed";

const createSchema = z.object({
  changeType: z.string().min(1),
  notificationUrl: z.url().startsWith("https://"),
  lifecycleNotificationUrl: z.url().startsWith("https://").optional(),
  resource: z.string().min(1),
  expirationDateTime: z.string().min(1),
  clientState: z.string().max(128).optional(),
});

const newValidationToken = () =>
  `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;

/** Graph's `POST <url>?validationToken=…` (URL-encoded, spaces as %20). */
export function validationRequest(url: string, token: string = newValidationToken()): Request {
  const target = new URL(url);
  target.searchParams.set("validationToken", token);
  return new Request(target.toString().replace(/\+/g, "%20"), {
    method: "POST",
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

export function subscriptionsFake(world: FakeWorld) {
  const subscriptions = new Map<string, FakeSubscription>();
  let validator: ((request: Request) => Promise<Response>) | null = null;

  /** Graph's lifetime rule: above the maximum is refused; under 45 minutes is raised to 45. */
  function checkExpiry(raw: string): { value: string } | { response: Response } {
    const at = Date.parse(raw);
    if (Number.isNaN(at)) {
      return {
        response: graphError(
          400,
          "InvalidRequest",
          "expirationDateTime is a required property for subscription creation.",
        ),
      };
    }
    const max = world.settings.maxSubscriptionMinutes;
    if (at > Date.now() + max * 60_000) {
      return {
        response: graphError(
          400,
          "ExtensionError",
          `Subscription expiration can only be ${max} minutes in the future.`,
        ),
      };
    }
    return { value: new Date(Math.max(at, Date.now() + 45 * 60_000)).toISOString() };
  }

  /** The handshake: 200, text/plain, the decoded token as body (else no subscription). */
  async function validates(url: string): Promise<boolean> {
    if (!validator) return true;
    const token = newValidationToken();
    const response = await validator(validationRequest(url, token));
    const type = response.headers.get("content-type") ?? "";
    return response.status === 200 && type.startsWith("text/plain") && (await response.text()) === token;
  }

  const json = (s: FakeSubscription) => ({
    "@odata.context": `${GRAPH}/$metadata#subscriptions/$entity`,
    id: s.id,
    resource: s.resource,
    applicationId: world.clientId,
    changeType: s.changeType,
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    expirationDateTime: s.expirationDateTime,
    creatorId: s.userOid,
    includeResourceData: null,
    latestSupportedTlsVersion: "v1_2",
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  });

  /** Removed, expired or another user's subscription: Graph answers 404. */
  function live(id: string, userOid: string): FakeSubscription | null {
    const s = subscriptions.get(id);
    return s && !s.removed && s.userOid === userOid && Date.parse(s.expirationDateTime) > Date.now()
      ? s
      : null;
  }
  const gone = (operation: string) =>
    graphError(
      404,
      "ExtensionError",
      `Operation: ${operation}; Exception: [Status Code: NotFound; Reason: The object was not found.]`,
    );

  function find(id: string): FakeSubscription {
    const sub = subscriptions.get(id);
    if (!sub) throw new Error("microsoft-fake: unknown subscription");
    return sub;
  }

  function lifecycleBody(
    subscriptionId: string,
    event: FakeLifecycleEvent,
    opts: { clientState?: string | null } = {},
  ) {
    const sub = find(subscriptionId);
    const clientState = opts.clientState === undefined ? sub.clientState : opts.clientState;
    const item = {
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: sub.expirationDateTime,
      tenantId: mailboxOf(world, sub.userOid).user.tid,
      clientState,
      lifecycleEvent: event,
    };
    return { value: [item] };
  }

  const handlers: HttpHandler[] = [
    http.post(`${GRAPH}/subscriptions`, async ({ request }) => {
      const mb = await graphPreamble(world, request, "subscriptions.create");
      if (mb instanceof Response) return mb;
      const body = createSchema.safeParse(await request.json());
      if (!body.success) {
        return graphError(
          400,
          "InvalidRequest",
          "Could not process subscription creation payload. Are all property names spelled and camelCased properly?",
        );
      }
      const expiry = checkExpiry(body.data.expirationDateTime);
      if ("response" in expiry) return expiry.response;
      for (const url of new Set([
        body.data.notificationUrl,
        body.data.lifecycleNotificationUrl ?? body.data.notificationUrl,
      ])) {
        if (!(await validates(url))) {
          return graphError(
            400,
            "InvalidRequest",
            "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.",
          );
        }
      }
      const sub: FakeSubscription = {
        id: randomUUID(),
        userOid: mb.user.oid,
        resource: body.data.resource,
        changeType: body.data.changeType,
        notificationUrl: body.data.notificationUrl,
        lifecycleNotificationUrl: body.data.lifecycleNotificationUrl ?? null,
        clientState: body.data.clientState ?? null,
        expirationDateTime: expiry.value,
        removed: false,
      };
      subscriptions.set(sub.id, sub);
      return HttpResponse.json(json(sub), { status: 201 });
    }),

    http.patch(`${GRAPH}/subscriptions/:id`, async ({ request, params }) => {
      const mb = await graphPreamble(world, request, "subscriptions.renew");
      if (mb instanceof Response) return mb;
      const sub = live(String(params.id), mb.user.oid);
      if (!sub) return gone("Update");
      const body = z.object({ expirationDateTime: z.string() }).safeParse(await request.json());
      if (!body.success) {
        return graphError(
          400,
          "InvalidRequest",
          "Subscription must contain either the 'expirationDateTime' or 'notificationUrl' property and its value.",
        );
      }
      const expiry = checkExpiry(body.data.expirationDateTime);
      if ("response" in expiry) return expiry.response;
      sub.expirationDateTime = expiry.value;
      return HttpResponse.json(json(sub));
    }),

    http.delete(`${GRAPH}/subscriptions/:id`, async ({ request, params }) => {
      const mb = await graphPreamble(world, request, "subscriptions.delete");
      if (mb instanceof Response) return mb;
      const sub = live(String(params.id), mb.user.oid);
      if (!sub) return gone("Delete");
      subscriptions.delete(sub.id);
      return new HttpResponse(null, { status: 204 });
    }),
  ];

  return {
    handlers,
    subscriptions: () => [...subscriptions.values()],
    subscription: (id: string) => subscriptions.get(id) ?? null,
    /** When set, creating a subscription runs Graph's validation handshake against this handler (e.g. the route's POST). */
    setValidator(handler: ((request: Request) => Promise<Response>) | null): void {
      validator = handler;
    },
    /** Graph drops the subscription (renew → 404); returns the subscriptionRemoved lifecycle body it POSTs. */
    removeSubscription(id: string) {
      find(id).removed = true;
      return lifecycleBody(id, "subscriptionRemoved");
    },
    /** The change-notification body for new messages (pass `clientState` to forge one). */
    notificationBody(
      subscriptionId: string,
      messageIds: string[],
      opts: { clientState?: string | null } = {},
    ) {
      const sub = find(subscriptionId);
      const user = mailboxOf(world, sub.userOid).user;
      const value = messageIds.map((id) => ({
        id: randomBytes(9).toString("base64url"),
        subscriptionId: sub.id,
        subscriptionExpirationDateTime: sub.expirationDateTime,
        changeType: "created",
        resource: `Users/${user.oid}/Messages/${id}`,
        resourceData: {
          "@odata.type": "#Microsoft.Graph.Message",
          "@odata.id": `Users/${user.oid}/Messages/${id}`,
          "@odata.etag": etag(),
          id,
        },
        clientState: opts.clientState === undefined ? sub.clientState : opts.clientState,
        tenantId: user.tid,
      }));
      return { value };
    },
    lifecycleBody,
    validationRequest,
  };
}
