import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** Lifecycle events Graph documents today; anything newer is reported as "unknown" rather than refused. */
export const LIFECYCLE_EVENTS = ["reauthorizationRequired", "subscriptionRemoved", "missed"] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number] | "unknown";

const lifecycleItemSchema = z.object({
  subscriptionId: z.string().min(1),
  subscriptionExpirationDateTime: z.string().optional(),
  tenantId: z.string().optional(),
  clientState: z.string().nullish(),
  lifecycleEvent: z.string().min(1),
});

const changeItemSchema = z.object({
  id: z.string().optional(),
  subscriptionId: z.string().min(1),
  subscriptionExpirationDateTime: z.string().optional(),
  tenantId: z.string().optional(),
  clientState: z.string().nullish(),
  changeType: z.string().min(1),
  resource: z.string().min(1),
  resourceData: z.object({
    "@odata.type": z.string().optional(),
    "@odata.id": z.string().optional(),
    "@odata.etag": z.string().optional(),
    id: z.string().min(1),
  }),
});

/** Graph's changeNotificationCollection: change notifications and lifecycle notifications may share a batch. */
export const graphNotificationCollectionSchema = z.object({
  value: z.array(z.union([lifecycleItemSchema, changeItemSchema])).min(1),
});

export type GraphNotification =
  | {
      kind: "change";
      subscriptionId: string;
      clientState: string | null;
      tenantId: string | null;
      changeType: string;
      /** The message id (resourceData.id). */
      messageId: string;
      resource: string;
    }
  | {
      kind: "lifecycle";
      subscriptionId: string;
      clientState: string | null;
      tenantId: string | null;
      event: LifecycleEvent;
    };

function knownEvent(value: string): LifecycleEvent {
  return (LIFECYCLE_EVENTS as readonly string[]).includes(value) ? (value as LifecycleEvent) : "unknown";
}

/**
 * Parses the body Graph POSTs to the notification (and lifecycle) URL. Throws a ZodError on anything
 * not shaped like a changeNotificationCollection (the route answers 400). clientState is NOT checked
 * here: compare it per item against the stored secret with `clientStateMatches`.
 */
export function parseGraphNotifications(json: unknown): GraphNotification[] {
  const { value } = graphNotificationCollectionSchema.parse(json);
  return value.map((item): GraphNotification => {
    if ("lifecycleEvent" in item) {
      return {
        kind: "lifecycle",
        subscriptionId: item.subscriptionId,
        clientState: item.clientState ?? null,
        tenantId: item.tenantId ?? null,
        event: knownEvent(item.lifecycleEvent),
      };
    }
    return {
      kind: "change",
      subscriptionId: item.subscriptionId,
      clientState: item.clientState ?? null,
      tenantId: item.tenantId ?? null,
      changeType: item.changeType,
      messageId: item.resourceData.id,
      resource: item.resource,
    };
  });
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/**
 * Constant-time comparison of a notification's clientState with the stored secret. Both sides are
 * hashed first so unequal lengths take the same path and leak nothing about the secret's length.
 */
export function clientStateMatches(
  expected: string | null | undefined,
  received: string | null | undefined,
): boolean {
  if (!expected || typeof received !== "string") return false;
  return timingSafeEqual(digest(expected), digest(received));
}

/**
 * Graph's endpoint validation: `POST <notificationUrl>?validationToken=<url-encoded token>` must be
 * answered 200 text/plain with the decoded token within 10 s. Returns that token, or null when the
 * request is not a validation request.
 */
export function validationResponse(url: URL): string | null {
  const token = url.searchParams.get("validationToken");
  return token ? token : null;
}
