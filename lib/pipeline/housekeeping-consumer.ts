import { jobSpec } from "@/lib/jobs/define";
import { messageHousekeepingJob } from "@/lib/jobs/message-housekeeping";
import { pendingActions } from "@/lib/mail/auto-action-entry";
import type { Consumer } from "@/lib/pipeline/consumer";

/**
 * Mailbox housekeeping: the auto-actions the analysis decided (stored as `pending:` entries, from
 * the organization's settings only) become one message.housekeeping job. The router queues it after
 * the alerts in the same call, and the claim takes alert sends first.
 */
export const housekeepingConsumer: Consumer = {
  name: "housekeeping",
  plan({ message }) {
    const actions = pendingActions(message.autoActions);
    return actions.length > 0
      ? { jobs: [jobSpec(messageHousekeepingJob, { messageId: message.id, actions })] }
      : {};
  },
};
