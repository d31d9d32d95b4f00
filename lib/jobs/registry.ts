import { alertSendJob } from "@/lib/jobs/alert-send";
import { digestSendJob } from "@/lib/jobs/digest-send";
import type { JobRegistry } from "@/lib/jobs/drain";
import { mailboxRenew } from "@/lib/jobs/mailbox-renew";
import { mailboxSync } from "@/lib/jobs/mailbox-sync";
import { messageAnalyze } from "@/lib/jobs/message-analyze";
import { whatsAppEventJob } from "@/lib/jobs/whatsapp-event";

/**
 * Every job kind the pipeline knows. A kind missing here makes its jobs dead, visibly.
 * Kinds: mailbox.sync, mailbox.renew, message.analyze (mail pipeline); alert.send, whatsapp.event, digest.send
 * (WhatsApp pipeline).
 */
export function jobRegistry(): JobRegistry {
  return {
    "mailbox.sync": mailboxSync,
    "mailbox.renew": mailboxRenew,
    "message.analyze": messageAnalyze,
    "alert.send": alertSendJob(),
    "whatsapp.event": whatsAppEventJob,
    "digest.send": digestSendJob,
  };
}
