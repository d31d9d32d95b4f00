import { z } from "zod";
import { ProviderRequestError } from "@/lib/mail/errors";
import {
  GRAPH_BASE,
  type GraphCallOptions,
  GraphHttpError,
  graphRequest,
} from "@/lib/mail/outlook/graph-client";

/** The inbox only: mail filed elsewhere by rules is not "new inbox mail" (same scope as Gmail's INBOX). */
export const INBOX_RESOURCE = "me/mailFolders('inbox')/messages";

/**
 * Lifetimes we ask for, longest first. Outlook messages allow 10,080 minutes (under 7 days); we stay
 * 10 minutes short of it so clock skew never pushes us over. Older tenants and clouds answered
 * "can only be 4230 minutes in the future", hence the steps down.
 */
export const SUBSCRIPTION_LIFETIMES_MINUTES = [10_070, 4_230, 60] as const;

const subscriptionSchema = z.object({
  id: z.string().min(1),
  expirationDateTime: z.string().min(1),
  clientState: z.string().nullish(),
  resource: z.string().optional(),
});

export type GraphSubscription = { id: string; expiresAt: number };

/** Thrown by `renewSubscription` when Graph no longer has the subscription (expired, removed). */
export class SubscriptionGoneError extends Error {
  readonly code = "subscription_gone";
  constructor(readonly subscriptionId: string) {
    super("outlook: the Graph subscription no longer exists; create a new one and catch up with delta");
    this.name = "SubscriptionGoneError";
  }
}

function toSubscription(body: z.infer<typeof subscriptionSchema>): GraphSubscription {
  const expiresAt = Date.parse(body.expirationDateTime);
  if (Number.isNaN(expiresAt)) throw new ProviderRequestError("outlook", 200, "invalid_response");
  return { id: body.id, expiresAt };
}

/** Graph refuses a too-long expiry with a 400 that names expirationDateTime / "minutes in the future". */
function isExpiryRefusal(error: unknown): boolean {
  return (
    error instanceof GraphHttpError &&
    error.status === 400 &&
    /expiration|minutes in the future/i.test(error.graphMessage)
  );
}

/** Tries each lifetime, longest first, stepping down only when Graph refuses the expiry itself. */
async function withLongestExpiry<T>(now: number, attempt: (expiry: string) => Promise<T>): Promise<T> {
  let last: unknown;
  for (const minutes of SUBSCRIPTION_LIFETIMES_MINUTES) {
    try {
      return await attempt(new Date(now + minutes * 60_000).toISOString());
    } catch (error) {
      if (!isExpiryRefusal(error)) throw error;
      last = error;
    }
  }
  const refusal = last as GraphHttpError;
  throw new ProviderRequestError("outlook", refusal.status, refusal.graphCode);
}

function asShared(error: unknown): unknown {
  return error instanceof GraphHttpError
    ? new ProviderRequestError("outlook", error.status, error.graphCode)
    : error;
}

/**
 * POST /subscriptions on the inbox for `created` messages, with the longest lifetime Graph accepts.
 * Graph validates both URLs (validationToken handshake) before answering 201.
 */
export async function createSubscription(
  token: string,
  params: { notificationUrl: string; lifecycleNotificationUrl: string; clientState: string; now?: number },
  options: GraphCallOptions = {},
): Promise<GraphSubscription> {
  try {
    return await withLongestExpiry(params.now ?? Date.now(), async (expirationDateTime) => {
      const body = await graphRequest(
        token,
        {
          operation: "subscriptions.create",
          method: "POST",
          url: `${GRAPH_BASE}/subscriptions`,
          body: {
            changeType: "created",
            notificationUrl: params.notificationUrl,
            lifecycleNotificationUrl: params.lifecycleNotificationUrl,
            resource: INBOX_RESOURCE,
            expirationDateTime,
            clientState: params.clientState,
          },
          schema: subscriptionSchema,
          passthrough: [400],
        },
        options,
      );
      return toSubscription(body);
    });
  } catch (error) {
    throw asShared(error);
  }
}

/** PATCH the expiry (this also reauthorizes it). 404 → `SubscriptionGoneError`. */
export async function renewSubscription(
  token: string,
  id: string,
  params: { now?: number } = {},
  options: GraphCallOptions = {},
): Promise<GraphSubscription> {
  try {
    return await withLongestExpiry(params.now ?? Date.now(), async (expirationDateTime) => {
      const body = await graphRequest(
        token,
        {
          operation: "subscriptions.renew",
          method: "PATCH",
          url: `${GRAPH_BASE}/subscriptions/${encodeURIComponent(id)}`,
          body: { expirationDateTime },
          schema: subscriptionSchema,
          passthrough: [400, 404],
        },
        options,
      );
      return toSubscription(body);
    });
  } catch (error) {
    if (error instanceof GraphHttpError && error.status === 404) throw new SubscriptionGoneError(id);
    throw asShared(error);
  }
}

/** DELETE /subscriptions/{id}; an already-gone subscription is not an error. */
export async function deleteSubscription(
  token: string,
  id: string,
  options: GraphCallOptions = {},
): Promise<void> {
  try {
    await graphRequest(
      token,
      {
        operation: "subscriptions.delete",
        method: "DELETE",
        url: `${GRAPH_BASE}/subscriptions/${encodeURIComponent(id)}`,
        schema: null,
        passthrough: [404],
      },
      options,
    );
  } catch (error) {
    if (error instanceof GraphHttpError && error.status === 404) return;
    throw asShared(error);
  }
}
