import type { Db } from "@/lib/db/port";
import { setRecipientStatus } from "@/lib/db/recipients";
import { notifyOwners } from "@/lib/jobs/owner-notice";

/**
 * WhatsApp said the number cannot receive messages (131026, on send or in a status webhook): flag
 * it in every organization it serves — no more sends are attempted — and tell each owner once.
 */
export async function flagUndeliverable(db: Db, phone: string, now: Date): Promise<number> {
  const changed = await setRecipientStatus(db, phone, "undeliverable", "whatsapp");
  for (const r of changed) {
    await notifyOwners(
      db,
      r.organizationId,
      { kind: "recipient_undeliverable", recipientId: r.id, recipientName: r.name, phone: r.phone },
      now,
    );
  }
  return changed.length;
}
