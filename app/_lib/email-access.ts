import { z } from "zod";
import { actorOf } from "@/app/_lib/account-locale";
import type { SessionUser } from "@/lib/db/accounts";
import { getMessage, giveFeedback, type MessageDetail, markHandled } from "@/lib/db/messages";
import type { Db } from "@/lib/db/port";
import { type Priority, priorityEnum } from "@/lib/db/schemas";
import { badRequest, notFound } from "@/lib/errors/app-error";

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
  makeRule: z.boolean(),
});

export async function sendFeedback(
  db: Db,
  user: SessionUser,
  input: { id: string; priority: Priority; makeRule: boolean },
) {
  if (!idSchema.safeParse(input.id).success) throw notFound("No such email.");
  const parsed = feedbackSchema.safeParse(input);
  if (!parsed.success) throw badRequest("Choose one of the four priorities.");
  return giveFeedback(db, {
    organizationId: user.organizationId,
    messageId: parsed.data.id,
    priority: parsed.data.priority,
    makeRule: parsed.data.makeRule,
    actor: actorOf(user),
  });
}
