import { z } from "zod";
import { actorOf } from "@/app/_lib/account-locale";
import type { SessionUser } from "@/lib/db/accounts";
import {
  type FeedbackScope,
  getMessage,
  giveFeedback,
  type MessageDetail,
  markHandled,
} from "@/lib/db/messages";
import type { Db } from "@/lib/db/port";
import { trustSender } from "@/lib/db/relationships";
import { type Priority, priorityEnum } from "@/lib/db/schemas";
import { badRequest, notFound } from "@/lib/errors/app-error";
import { organizationHasher } from "@/lib/jobs/relationship-hasher";
import { domainOf, isFreeMail } from "@/lib/mail/address-domain";
import { normalizeAddress } from "@/lib/relationships/hash";

/*
 * What the email page and its actions do, given the signed-in user. The organization always comes
 * from the session user, never from the request, and every query is scoped by it: another
 * organization's email is "not found", exactly like one that does not exist.
 */

const idSchema = z.string().uuid();

/** The email page's data, or null (→ 404) when the id is malformed or belongs to someone else. */
export async function loadEmail(db: Db, user: SessionUser, id: string): Promise<MessageDetail | null> {
  if (!idSchema.safeParse(id).success) return null;
  return getMessage(db, user.organizationId, id);
}

export async function markEmailHandled(db: Db, user: SessionUser, id: string) {
  if (!idSchema.safeParse(id).success) throw notFound("No such email.");
  return markHandled(db, user.organizationId, id, actorOf(user));
}

export const feedbackSchema = z.object({
  id: idSchema,
  priority: priorityEnum,
  scope: z.enum(["none", "sender", "domain"]),
});

/**
 * A correction: the email shows it at once, a rule sets it for the sender's or the domain's future
 * emails when asked, and a correction to critical makes the sender trusted in the relationship
 * store (so the gate lets their next emails rise even before the Sent folder shows them).
 */
export async function sendFeedback(
  db: Db,
  user: SessionUser,
  input: { id: string; priority: Priority; scope: FeedbackScope },
) {
  if (!idSchema.safeParse(input.id).success) throw notFound("No such email.");
  const parsed = feedbackSchema.safeParse(input);
  if (!parsed.success) throw badRequest("Choose one of the four priorities.");
  const current = await getMessage(db, user.organizationId, parsed.data.id);
  if (!current) throw notFound("No such email.");
  const from = current.fromAddress ?? "";
  const result = await giveFeedback(db, {
    organizationId: user.organizationId,
    messageId: parsed.data.id,
    priority: parsed.data.priority,
    scope: parsed.data.scope,
    freeMail: isFreeMail(domainOf(from)),
    actor: actorOf(user),
  });
  if (parsed.data.priority === "critical" && from.includes("@")) {
    const hash = await organizationHasher(db, user.organizationId);
    await trustSender(db, result.mailboxId, hash("address", normalizeAddress(from)));
  }
  return result;
}
