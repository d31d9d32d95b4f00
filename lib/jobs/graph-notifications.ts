import { findMailboxesBySubscriptions } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import type { Mailbox } from "@/lib/db/schemas";
import { safeEqual, sha256Hex } from "@/lib/http/constant-time";
import { enqueue } from "@/lib/jobs/enqueue";
import { mailboxRenewJob } from "@/lib/jobs/mailbox-renew";
import { mailboxSyncJob } from "@/lib/jobs/mailbox-sync";
import type { GraphNotification } from "@/lib/mail/outlook/notifications";

export type GraphNotificationOutcome = {
  /** Items whose subscription and clientState matched a connected mailbox. */
  accepted: number;
  /** Unknown subscription, wrong clientState or inactive mailbox: counted, never processed. */
  ignored: number;
  /** The ignored items by reason (`unknown_subscription`, `client_state`, or a mailbox status). */
  ignoredBy: Record<string, number>;
  syncs: number;
  renews: number;
};

/** We keep only sha256(clientState): hash what Graph sent and compare the hashes in constant time. */
function clientStateValid(storedHash: string | null, received: string | null): boolean {
  return storedHash !== null && received !== null && safeEqual(sha256Hex(received), storedHash);
}

type Plan = { sync: string | null; renew: string | null };

/** What an authentic item asks for. Change notifications carry no data we use: the sync reads delta. */
function plan(current: Plan, item: GraphNotification): Plan {
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
      // A lifecycle event Graph added after this was written: nothing we know to do.
      return current;
  }
}

/**
 * Turns a verified-shape batch of Graph notifications into jobs, at most one sync and one renewal
 * per mailbox however many items the batch holds. Each item must name a subscription we hold and
 * carry its clientState; anything else is ignored, so a forged POST queues nothing. The mailboxes
 * of every subscription id in the batch are read in one query, and nothing is logged per item (the
 * route logs one line with the counts): a POST with 1,000 forged ids costs one lookup, one line.
 * Throws if a job cannot be stored, so the route answers 5xx and Graph retries the batch.
 */
export async function acceptGraphNotifications(
  db: Db,
  items: GraphNotification[],
): Promise<GraphNotificationOutcome> {
  const ids = [...new Set(items.map((i) => i.subscriptionId))];
  const found = ids.length === 0 ? [] : await findMailboxesBySubscriptions(db, ids);
  const bySubscription = new Map<string, Mailbox>(found.map((m) => [m.subscriptionId ?? "", m]));
  const plans = new Map<string, Plan>();
  const ignoredBy: Record<string, number> = {};
  const ignore = (reason: string) => {
    ignoredBy[reason] = (ignoredBy[reason] ?? 0) + 1;
  };
  for (const item of items) {
    const mailbox = bySubscription.get(item.subscriptionId);
    if (mailbox?.provider !== "outlook") ignore("unknown_subscription");
    else if (!clientStateValid(mailbox.clientStateHash, item.clientState)) ignore("client_state");
    else if (mailbox.status !== "active") ignore(mailbox.status);
    else plans.set(mailbox.id, plan(plans.get(mailbox.id) ?? { sync: null, renew: null }, item));
  }

  let syncs = 0;
  let renews = 0;
  for (const [mailboxId, p] of plans) {
    if (p.sync) {
      await enqueue(db, mailboxSyncJob, { mailboxId, historyHint: null, reason: p.sync });
      syncs++;
    }
    if (p.renew) {
      await enqueue(db, mailboxRenewJob, { mailboxId, reason: p.renew });
      renews++;
    }
  }
  const ignored = Object.values(ignoredBy).reduce((n, v) => n + v, 0);
  return { accepted: items.length - ignored, ignored, ignoredBy, syncs, renews };
}
