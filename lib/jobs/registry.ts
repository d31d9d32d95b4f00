import type { JobRegistry } from "@/lib/jobs/drain";
import { mailboxSync } from "@/lib/jobs/mailbox-sync";
import { messageAnalyze } from "@/lib/jobs/message-analyze";

/**
 * Every job kind the pipeline knows. A kind missing here makes its jobs dead, visibly.
 * Kinds: mailbox.sync, message.analyze (mail pipeline); alert.send, whatsapp.event, digest.send
 * (WhatsApp pipeline).
 */
export function jobRegistry(): JobRegistry {
  return {
    "mailbox.sync": mailboxSync,
    "message.analyze": messageAnalyze,
  };
}
