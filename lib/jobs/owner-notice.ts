import type { RenderedMessage } from "@/lib/db/alert-send";
import type { Db } from "@/lib/db/port";
import { listRecipients } from "@/lib/db/recipients";
import type { Recipient } from "@/lib/db/schemas";
import { env } from "@/lib/env";
import { queueAlert } from "@/lib/jobs/queue-alert";
import {
  type RenderedNotice,
  renderMailboxReconnectNotice,
  renderRecipientUndeliverableNotice,
} from "@/lib/whatsapp/render-notices";

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
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

/**
 * Tells the organization's opted-in owners on WhatsApp (delivered by alert.send like any alert, so
 * quiet hours, the window and the outbox apply). Called by the mail pipeline when a mailbox needs
 * reconnection and by the WhatsApp pipeline when a number becomes undeliverable.
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
  let queued = 0;
  for (const owner of owners) {
    const text = render(notice, owner);
    const rendered: RenderedMessage = {
      body: text.body,
      buttons: [],
      template: { kind: "notice", params: text.templateParams },
    };
    const result = await queueAlert(db, {
      recipientId: owner.id,
      kind: "notice",
      dedupeKey: `notice:${notice.kind}:${about}:${owner.id}:${localDay(now, owner.timezone)}`,
      rendered,
    });
    if (result.created) queued++;
  }
  return { queued };
}
