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

/**
 * Items read from one POST. Graph does not document a maximum batch size; past this many we stop
 * reading (the rest is counted, never looked up): a notification only asks for a sync of its
 * mailbox, and the 5-minute poll catches anything a cut batch asked for.
 */
export const MAX_GRAPH_BATCH_ITEMS = 1000;

/** Graph's changeNotificationCollection: `value` holds change and lifecycle notifications alike. */
const collectionSchema = z.object({ value: z.array(z.unknown()) });
const itemSchema = z.union([lifecycleItemSchema, changeItemSchema]);

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

export type ParsedGraphBatch = {
  items: GraphNotification[];
  /** Items not shaped like a change or lifecycle notification: skipped, the rest processed. */
  malformed: number;
  /** Items past MAX_GRAPH_BATCH_ITEMS, not read. */
  truncated: number;
};

function toNotification(item: z.infer<typeof itemSchema>): GraphNotification {
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
}

/**
 * Parses the body Graph POSTs to the notification (and lifecycle) URL, item by item: one item of
 * an unknown shape is counted and skipped, never fails the batch. Null when the body is not a
 * changeNotificationCollection at all (no `value` array): the route acknowledges and counts it.
 * clientState is NOT checked here: compare it per item against the stored secret.
 */
export function parseGraphNotifications(json: unknown): ParsedGraphBatch | null {
  const collection = collectionSchema.safeParse(json);
  if (!collection.success) return null;
  const { value } = collection.data;
  const items: GraphNotification[] = [];
  let malformed = 0;
  for (const raw of value.slice(0, MAX_GRAPH_BATCH_ITEMS)) {
    const item = itemSchema.safeParse(raw);
    if (item.success) items.push(toNotification(item.data));
    else malformed++;
  }
  return { items, malformed, truncated: Math.max(0, value.length - MAX_GRAPH_BATCH_ITEMS) };
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
