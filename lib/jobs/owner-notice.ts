import {
  type RenderedNotice,
  renderMailboxReconnectNotice,
  renderRecipientUndeliverableNotice,
} from "@/lib/channels/whatsapp/render-notices";
import type { Db } from "@/lib/db/port";
import { listRecipients } from "@/lib/db/recipients";
import type { Recipient } from "@/lib/db/schemas";
import { env } from "@/lib/env";
import { dateTimeFormat } from "@/lib/i18n/intl-formats";
import { queueNotices } from "@/lib/jobs/queue-notices";

/** Something only the account owner can fix. */
export type OwnerNotice =
  | { kind: "mailbox_reconnect"; mailboxId: string; address: string }
  | { kind: "recipient_undeliverable"; recipientId: string; recipientName: string; phone: string };

function render(notice: OwnerNotice, owner: Recipient): RenderedNotice {
  if (notice.kind === "mailbox_reconnect") {
    return renderMailboxReconnectNotice({
      locale: owner.locale,
      mailbox: notice.address,
      appUrl: env.APP_URL,
    });
  }
  return renderRecipientUndeliverableNotice({
    locale: owner.locale,
    recipientName: notice.recipientName,
    phone: notice.phone,
    appUrl: env.APP_URL,
  });
}

/** The owner's calendar day: at most one notice of a kind about the same thing per owner and day. */
function localDay(now: Date, timeZone: string): string {
  return dateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

/**
 * Tells the organization's opted-in owners, each in their language (a `notice`: queueNotices).
 * Called by the mail pipeline when a mailbox needs reconnection and by the WhatsApp pipeline when
 * a number becomes undeliverable.
 */
export async function notifyOwners(
  db: Db,
  organizationId: string,
  notice: OwnerNotice,
  now: Date = new Date(),
): Promise<{ queued: number }> {
  const about = notice.kind === "mailbox_reconnect" ? notice.mailboxId : notice.recipientId;
  const owners = (await listRecipients(db, organizationId)).filter(
    (r) => r.role === "owner" && r.status === "opted_in" && r.id !== about,
  );
  const queued = await queueNotices(db, owners, {
    render: (owner) => render(notice, owner),
    dedupeKey: (owner) => `notice:${notice.kind}:${about}:${owner.id}:${localDay(now, owner.timezone)}`,
  });
  return { queued };
}
