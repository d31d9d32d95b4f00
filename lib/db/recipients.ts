import { z } from "zod";
import { call, type Db } from "@/lib/db/port";
import { type Recipient, recipientSchema, type SenderRule, senderRuleSchema } from "@/lib/db/schemas";

export type RecipientInput = Partial<
  Omit<Recipient, "organizationId" | "status" | "createdAt" | "address">
> & {
  id?: string;
  /** A new e-mail recipient's address (channel "email"); a WhatsApp one gives `phone`. */
  email?: string;
};

export const upsertRecipient = (db: Db, organizationId: string, actor: string, input: RecipientInput) =>
  call(
    db,
    "recipient_upsert",
    { p_organization_id: organizationId, p_actor: actor, p_recipient: input },
    recipientSchema,
  );

export const listRecipients = (db: Db, organizationId: string) =>
  call(db, "recipient_list", { p_organization_id: organizationId }, z.array(recipientSchema));

export const getRecipient = (db: Db, recipientId: string) =>
  call(db, "recipient_get", { p_recipient_id: recipientId }, recipientSchema.nullable());

export const deleteRecipient = (db: Db, organizationId: string, recipientId: string, actor: string) =>
  call(
    db,
    "recipient_delete",
    { p_organization_id: organizationId, p_recipient_id: recipientId, p_actor: actor },
    z.object({ deleted: z.boolean() }),
  );

/** A WhatsApp sender: its number and/or its business-scoped user id (at least one is set). */
export type WhatsAppSender = { phone: string | null; userId: string | null };

/** Every recipient the sender matches (number or user id), their 24 h window opened. */
export const touchInbound = (db: Db, sender: WhatsAppSender, at: Date) =>
  call(
    db,
    "recipient_touch_inbound_by",
    { p_phone: sender.phone, p_user_id: sender.userId, p_at: at },
    z.array(recipientSchema),
  );

/** STOP / START from WhatsApp, by whichever identifiers Meta sent. */
export const setSenderStatus = (
  db: Db,
  sender: WhatsAppSender,
  status: "opted_in" | "opted_out",
  actor: string,
) =>
  call(
    db,
    "recipient_set_status_by",
    { p_phone: sender.phone, p_user_id: sender.userId, p_status: status, p_actor: actor },
    z.array(recipientSchema),
  );

/** Remembers the user id Meta reported for a number we sent to. */
export const learnUserId = (db: Db, phone: string, userId: string) =>
  call(
    db,
    "recipient_learn_user_id",
    { p_phone: phone, p_user_id: userId },
    z.object({ learned: z.number() }),
  );

export const setRecipientStatus = (
  db: Db,
  phone: string,
  status: "opted_in" | "opted_out" | "undeliverable",
  actor: string,
) =>
  call(
    db,
    "recipient_set_status",
    { p_phone: phone, p_status: status, p_actor: actor },
    z.array(recipientSchema),
  );

/** A channel's verdict on an address, for every recipient at it on that channel (lib/jobs/undeliverable.ts). */
export const flagAddress = (
  db: Db,
  recipient: Pick<Recipient, "channel" | "address">,
  status: "undeliverable",
) =>
  call(
    db,
    "recipient_flag_address",
    {
      p_channel: recipient.channel,
      p_address: recipient.address,
      p_status: status,
      p_actor: recipient.channel,
    },
    z.array(recipientSchema),
  );

/** Consent given or withdrawn through the recipient's own channel (the e-mail links), within its organization. */
export const setConsent = (
  db: Db,
  p: { organizationId: string; recipientId: string; status: "opted_in" | "opted_out"; actor: string },
) =>
  call(
    db,
    "recipient_consent",
    {
      p_organization_id: p.organizationId,
      p_recipient_id: p.recipientId,
      p_status: p.status,
      p_actor: p.actor,
    },
    z.object({ changed: z.boolean(), recipient: recipientSchema }),
  );

export const listSenderRules = (db: Db, organizationId: string) =>
  call(db, "sender_rule_list", { p_organization_id: organizationId }, z.array(senderRuleSchema));

export const saveSenderRule = (
  db: Db,
  p: {
    organizationId: string;
    pattern: string;
    kind: SenderRule["kind"];
    source: "settings" | "whatsapp" | "feedback";
    actor: string;
  },
) =>
  call(
    db,
    "sender_rule_upsert",
    {
      p_organization_id: p.organizationId,
      p_pattern: p.pattern,
      p_kind: p.kind,
      p_source: p.source,
      p_actor: p.actor,
    },
    senderRuleSchema,
  );

export const deleteSenderRule = (db: Db, organizationId: string, ruleId: string, actor: string) =>
  call(
    db,
    "sender_rule_delete",
    { p_organization_id: organizationId, p_rule_id: ruleId, p_actor: actor },
    z.object({ deleted: z.boolean(), pattern: z.string() }),
  );
