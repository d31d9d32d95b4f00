import { crmRecordUrl } from "@/lib/crm/record-url";
import { type CrmCard, crmContactCard, crmMessageLogs } from "@/lib/db/crm";
import type { Db } from "@/lib/db/port";
import { organizationHasher } from "@/lib/jobs/relationship-hasher";
import { normalizeAddress } from "@/lib/relationships/hash";

export type EmailCrm = {
  card: CrmCard;
  keyClient: boolean;
  contactUrl: string | null;
  dealUrl: string | null;
  logged: Array<"note" | "task">;
};

/**
 * What the organization's CRM knows of an email's sender, for the email page: the contact's
 * company, largest open deal and owner (display names kept by the sync), links to the records,
 * and what was logged there for this email. Null when the sender is no CRM contact.
 */
export async function emailCrm(
  db: Db,
  organizationId: string,
  email: { id: string; fromAddress: string | null },
): Promise<EmailCrm | null> {
  if (!email.fromAddress?.includes("@")) return null;
  const hash = await organizationHasher(db, organizationId);
  const card = await crmContactCard(db, organizationId, hash("address", normalizeAddress(email.fromAddress)));
  if (!card) return null;
  const logs = await crmMessageLogs(db, organizationId, email.id);
  const url = (object: "contact" | "deal", id: string) =>
    card.webBase ? crmRecordUrl(card.provider, card.webBase, object, id) : null;
  const dealXof = card.deal?.amountXof ?? 0;
  return {
    card,
    keyClient: card.keyClientXof > 0 && dealXof >= card.keyClientXof,
    contactUrl: url("contact", card.contactId),
    dealUrl: card.deal ? url("deal", card.deal.id) : null,
    logged: logs.map((l) => l.kind),
  };
}
