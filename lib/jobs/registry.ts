import type { JobRegistry } from "@/lib/jobs/drain";

/**
 * Every job kind the pipeline knows. A kind missing here makes its jobs dead, visibly.
 * Kinds: mailbox.sync, message.analyze (mail pipeline); alert.send, whatsapp.event, digest.send
 * (WhatsApp pipeline).
 */
export function jobRegistry(): JobRegistry {
  return {};
}
