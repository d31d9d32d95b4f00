import { getMessageContext } from "@/lib/db/messages";
import type { Db } from "@/lib/db/port";
import { withMailbox } from "@/lib/jobs/mailbox-access";
import { log } from "@/lib/log";
import { GMAIL_QUOTA_WINDOW_SECONDS } from "@/lib/mail/gmail/quota";

/** "Traité" on WhatsApp: the email is marked read in the mailbox too (best effort). */
export async function markReadInMailbox(db: Db, messageId: string): Promise<boolean> {
  const ctx = await getMessageContext(db, messageId, GMAIL_QUOTA_WINDOW_SECONDS);
  if (!ctx) return false;
  // The context already carries the mailbox: no second read.
  if (ctx.mailbox.status !== "active") return false;
  const done = await withMailbox(db, ctx.mailbox, log, ({ provider, access }) =>
    provider.applyActions(access, ctx.message.providerMessageId, [{ kind: "mark_read" }]),
  );
  return Boolean(done?.includes("mark_read"));
}
