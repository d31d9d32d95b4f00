import type { Db } from "@/lib/db/port";
import { flagAddress } from "@/lib/db/recipients";
import type { Recipient } from "@/lib/db/schemas";
import { notifyOwners } from "@/lib/jobs/owner-notice";

/**
 * The channel said the recipient's address cannot receive messages (WhatsApp 131026 on send or in
 * a status webhook, an e-mail address its server refuses): flag it in every organization it serves
 * on that channel — no more sends are attempted — and tell each owner once.
 */
export async function flagUndeliverable(
  db: Db,
  recipient: Pick<Recipient, "channel" | "address">,
  now: Date,
): Promise<number> {
  const changed = await flagAddress(db, recipient, "undeliverable");
  for (const r of changed) {
    await notifyOwners(
      db,
      r.organizationId,
      { kind: "recipient_undeliverable", recipientId: r.id, recipientName: r.name, phone: r.address },
      now,
    );
  }
  return changed.length;
}
