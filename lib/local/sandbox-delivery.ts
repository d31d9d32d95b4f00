import { sandboxRoot } from "@/lib/config/mail-providers";
import type { Db } from "@/lib/db/port";
import { enqueue } from "@/lib/jobs/enqueue";
import { mailboxSyncJob } from "@/lib/jobs/mailbox-sync";
import { SandboxStore } from "@/lib/mail/sandbox/store";

/**
 * Delivers an RFC 822 message into a sandbox mailbox and enqueues its sync, the way a Gmail push
 * would: from here the message takes the same sync → analyze → alert path as real mail.
 */
export async function deliverSandboxEmail(db: Db, mailboxId: string, raw: string, root = sandboxRoot()) {
  const entry = await new SandboxStore(root).deliver(mailboxId, raw);
  await enqueue(db, mailboxSyncJob, { mailboxId: mailboxId, historyHint: null, reason: "sandbox" });
  return entry;
}
