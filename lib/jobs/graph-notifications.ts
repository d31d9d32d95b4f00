import { findMailboxBySubscription } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import type { Mailbox } from "@/lib/db/schemas";
import { safeEqual, sha256Hex } from "@/lib/http/constant-time";
import { enqueue } from "@/lib/jobs/enqueue";
import { mailboxRenewJob } from "@/lib/jobs/mailbox-renew";
import { mailboxSyncJob } from "@/lib/jobs/mailbox-sync";
import type { Logger } from "@/lib/log";
import type { GraphNotification } from "@/lib/mail/outlook/notifications";

export type GraphNotificationOutcome = {
  /** Items whose subscription and clientState matched a connected mailbox. */
  accepted: number;
  /** Unknown subscription, wrong clientState or inactive mailbox: logged, never processed. */
  ignored: number;
  syncs: number;
  renews: number;
};

/** We keep only sha256(clientState): hash what Graph sent and compare the hashes in constant time. */
function clientStateValid(storedHash: string | null, received: string | null): boolean {
  return storedHash !== null && received !== null && safeEqual(sha256Hex(received), storedHash);
}

type Plan = { sync: string | null; renew: string | null };

/** What an authentic item asks for. Change notifications carry no data we use: the sync reads delta. */
function plan(current: Plan, item: GraphNotification, log: Logger, mailboxId: string): Plan {
  if (item.kind === "change") return { ...current, sync: current.sync ?? "push" };
  switch (item.event) {
    case "missed":
      return { ...current, sync: "missed" };
    case "subscriptionRemoved":
      // The renewal finds the subscription gone, recreates it and queues a sync; this sync already
      // catches up in case the renewal has to wait (throttled).
      return { sync: "subscription_removed", renew: "subscription_removed" };
    case "reauthorizationRequired":
      return { ...current, renew: current.renew ?? "reauthorization_required" };
    default:
      log.info("outlook.lifecycle.unknown", { mailboxId });
      return current;
  }
}

/**
 * Turns a verified-shape batch of Graph notifications into jobs, at most one sync and one renewal
 * per mailbox however many items the batch holds. Each item must name a subscription we hold and
 * carry its clientState; anything else is ignored (and logged), so a forged POST queues nothing.
 * Throws if a job cannot be stored, so the route answers 5xx and Graph retries the batch.
 */
export async function acceptGraphNotifications(
  db: Db,
  items: GraphNotification[],
  log: Logger,
): Promise<GraphNotificationOutcome> {
  const bySubscription = new Map<string, Mailbox | null>();
  const plans = new Map<string, Plan>();
  let ignored = 0;
  for (const item of items) {
    if (!bySubscription.has(item.subscriptionId)) {
      bySubscription.set(item.subscriptionId, await findMailboxBySubscription(db, item.subscriptionId));
    }
    const mailbox = bySubscription.get(item.subscriptionId) ?? null;
    if (mailbox?.provider !== "outlook") {
      ignored++;
      log.warn("outlook.notification.ignored", {
        reason: "unknown_subscription",
        subscriptionId: item.subscriptionId.slice(0, 64),
      });
      continue;
    }
    if (!clientStateValid(mailbox.clientStateHash, item.clientState)) {
      ignored++;
      log.warn("outlook.notification.ignored", { reason: "client_state", mailboxId: mailbox.id });
      continue;
    }
    if (mailbox.status !== "active") {
      ignored++;
      log.info("outlook.notification.ignored", { reason: mailbox.status, mailboxId: mailbox.id });
      continue;
    }
    plans.set(mailbox.id, plan(plans.get(mailbox.id) ?? { sync: null, renew: null }, item, log, mailbox.id));
  }

  let syncs = 0;
  let renews = 0;
  for (const [mailboxId, p] of plans) {
    if (p.sync) {
      await enqueue(db, mailboxSyncJob, { mailboxId: mailboxId, historyHint: null, reason: p.sync });
      syncs++;
    }
    if (p.renew) {
      await enqueue(db, mailboxRenewJob, { mailboxId: mailboxId, reason: p.renew });
      renews++;
    }
  }
  return { accepted: items.length - ignored, ignored, syncs, renews };
}
