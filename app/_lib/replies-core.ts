import { z } from "zod";
import { actorOf } from "@/app/_lib/account-locale";
import type { SessionUser } from "@/lib/db/accounts";
import { listMailboxes } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import { deleteReplyTemplate, getReplySettings, saveReplyTemplate, setMayReply } from "@/lib/db/replies";
import { badRequest } from "@/lib/errors/app-error";
import { grantsReplies } from "@/lib/mail/reply-scopes";
import { DEFAULT_REPLY_TEMPLATES } from "@/lib/replies/defaults";
import { unknownPlaceholders } from "@/lib/replies/fill-template";
import { keyRing } from "@/lib/security/keys";
import { loadTokens } from "@/lib/security/token-store";

/** Can each live mailbox send replies (Outlook: has it granted Mail.Send)? Read from its sealed grant. */
async function sendingMailboxes(db: Db, organizationId: string) {
  const ring = keyRing();
  const live = (await listMailboxes(db, organizationId)).filter((m) => m.status === "active");
  return Promise.all(
    live.map(async (m) => {
      const scope =
        m.provider === "sandbox" ? null : ((await loadTokens(db, ring, m.id))?.tokens?.scope ?? null);
      return {
        id: m.id,
        address: m.address,
        provider: m.provider,
        canSend: grantsReplies(m.provider, scope),
      };
    }),
  );
}

/** Settings › Réponses: the templates (the defaults added once, unapproved), who may reply, which mailboxes can send. */
export async function replySettings(db: Db, user: SessionUser) {
  const [settings, mailboxes] = await Promise.all([
    getReplySettings(db, user.organizationId, DEFAULT_REPLY_TEMPLATES),
    sendingMailboxes(db, user.organizationId),
  ]);
  return { ...settings, mailboxes };
}
export type ReplySettingsView = Awaited<ReturnType<typeof replySettings>>;

export const templateFormSchema = z.object({
  id: z.uuid().optional(),
  locale: z.enum(["fr", "en"]),
  title: z.string().trim().min(1, "title").max(24, "title"),
  body: z.string().trim().min(1, "body").max(1000, "body"),
  approved: z.boolean(),
});

/** A template as the user wrote it; an unknown placeholder ("{montant}") is refused, not sent as is. */
export async function saveTemplate(db: Db, user: SessionUser, input: z.input<typeof templateFormSchema>) {
  const parsed = templateFormSchema.safeParse(input);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "invalid");
  if (unknownPlaceholders(parsed.data.body).length > 0) throw badRequest("placeholder");
  return saveReplyTemplate(db, user.organizationId, actorOf(user), parsed.data);
}

export const removeTemplate = (db: Db, user: SessionUser, id: string) =>
  deleteReplyTemplate(db, user.organizationId, id, actorOf(user));

export const allowReplies = (db: Db, user: SessionUser, recipientId: string, mayReply: boolean) =>
  setMayReply(db, user.organizationId, recipientId, mayReply, actorOf(user));
