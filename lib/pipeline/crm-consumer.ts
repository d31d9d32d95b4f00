import { priorityRank } from "@/lib/analysis/sender-rules";
import { crmLogJob } from "@/lib/jobs/crm-log";
import { jobSpec } from "@/lib/jobs/define";
import type { Consumer } from "@/lib/pipeline/consumer";

/**
 * CRM logging: one crm.log job for an email at or above the organization's priority whose sender
 * the analysis found to be a contact of the connected CRM (a colleague at a client's domain is
 * not: there is no record of theirs to log on).
 */
export const crmLogConsumer: Consumer = {
  name: "crm",
  plan({ message, crm }) {
    if (!crm || !message.priority) return {};
    if (crm.sender !== "contact" && crm.sender !== "key_client") return {};
    if (priorityRank(message.priority) < priorityRank(crm.logMinPriority)) return {};
    return { jobs: [jobSpec(crmLogJob, { messageId: message.id, connectionId: crm.connectionId })] };
  },
};
