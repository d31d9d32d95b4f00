import { actorOf } from "@/app/_lib/account-locale";
import { businessNumber } from "@/app/_lib/business-number";
import { type QrPath, qrPath } from "@/app/_lib/qr";
import type { RecipientSettings } from "@/app/_lib/recipient-form";
import { formatOptInCode } from "@/lib/channels/whatsapp/commands";
import { generateOptInCode } from "@/lib/channels/whatsapp/opt-in-code";
import { optInLink } from "@/lib/channels/whatsapp/opt-in-link";
import type { SessionUser } from "@/lib/db/accounts";
import { issueOptInCode } from "@/lib/db/opt-in-codes";
import type { Db } from "@/lib/db/port";
import { deleteRecipient, listRecipients, upsertRecipient } from "@/lib/db/recipients";
import type { Recipient } from "@/lib/db/schemas";
import { notFound } from "@/lib/errors/app-error";
import { requestEmailConsent } from "@/lib/jobs/email-consent";
import { hashOptInCode } from "@/lib/security/keyed-hash";

/*
 * Recipients as the signed-in user may see and change them: always within the session's
 * organization (the database functions refuse another organization's recipient with a 404).
 */

/** How long a shown opt-in code stays valid. */
export const OPT_IN_CODE_MINUTES = 60;

export async function addRecipient(
  db: Db,
  user: SessionUser,
  input: { name: string; phone: string; role: Recipient["role"]; escalationTarget: boolean },
): Promise<Recipient> {
  return upsertRecipient(db, user.organizationId, actorOf(user), {
    ...input,
    locale: input.role === "owner" ? user.locale : user.organization.locale,
    timezone: user.organization.timezone,
  });
}

/** An e-mail recipient, asked at once to confirm (nothing else is sent before it does). */
export async function addEmailRecipient(
  db: Db,
  user: SessionUser,
  input: { name: string; email: string; role: Recipient["role"]; escalationTarget: boolean },
): Promise<Recipient> {
  const recipient = await upsertRecipient(db, user.organizationId, actorOf(user), {
    ...input,
    channel: "email",
    locale: input.role === "owner" ? user.locale : user.organization.locale,
    timezone: user.organization.timezone,
  });
  await requestEmailConsent(db, recipient, user.organization.name);
  return recipient;
}

export async function updateRecipient(
  db: Db,
  user: SessionUser,
  id: string,
  settings: Partial<RecipientSettings>,
) {
  return upsertRecipient(db, user.organizationId, actorOf(user), { ...settings, id });
}

export async function removeRecipient(db: Db, user: SessionUser, id: string) {
  return deleteRecipient(db, user.organizationId, id, actorOf(user));
}

export async function findRecipient(db: Db, user: SessionUser, id: string): Promise<Recipient> {
  const recipient = (await listRecipients(db, user.organizationId)).find((r) => r.id === id);
  if (!recipient) throw notFound("No such recipient.");
  return recipient;
}

export type OptInStart = {
  recipientId: string;
  code: string;
  /** The code as the recipient sends it ("FLUX-123456"). */
  display: string;
  expiresAt: string;
  link: string | null;
  qr: QrPath | null;
};

/**
 * A new opt-in code for a recipient to send us from their phone: only its keyed hash is stored,
 * the code is returned once for the page to show (with the wa.me link and its QR code). It is an
 * `inbound` code: the database accepts it only in a WhatsApp message from that recipient's own
 * number, never typed in the app, so whoever sees the page cannot opt the number in. The database
 * limits codes per hour.
 */
export async function startOptIn(
  db: Db,
  user: SessionUser,
  recipientId: string,
  now = new Date(),
): Promise<OptInStart> {
  const recipient = await findRecipient(db, user, recipientId);
  const code = generateOptInCode();
  const expiresAt = new Date(now.getTime() + OPT_IN_CODE_MINUTES * 60_000);
  await issueOptInCode(db, {
    organizationId: user.organizationId,
    recipientId: recipient.id,
    kind: "inbound",
    codeHash: hashOptInCode(code),
    expiresAt,
  });
  const number = businessNumber();
  const link = number ? optInLink({ businessNumber: number, code, locale: recipient.locale }) : null;
  return {
    recipientId: recipient.id,
    code,
    display: formatOptInCode(code),
    expiresAt: expiresAt.toISOString(),
    link,
    qr: link ? qrPath(link) : null,
  };
}
