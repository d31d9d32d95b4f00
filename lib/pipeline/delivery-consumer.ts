import type { Consumer } from "@/lib/pipeline/consumer";
import { alertsRecipient, waitsForEscalation } from "@/lib/pipeline/routing";

/**
 * Delivery: one alert per recipient the routing accepts (sent, held or skipped later by alert.send).
 * Designated managers wait for the escalation, unless no one else would hear of the email at all.
 */
export const deliveryConsumer: Consumer = {
  name: "delivery",
  plan({ message, organization, recipients }) {
    const accepted = recipients.filter((recipient) => alertsRecipient(message, recipient));
    const first = accepted.filter((r) => !waitsForEscalation(r, organization.escalationCopy));
    return {
      alerts: (first.length > 0 ? first : accepted).map((recipient) => ({
        recipientId: recipient.id,
        kind: "alert" as const,
      })),
    };
  },
};
