import type { Consumer } from "@/lib/pipeline/consumer";
import { alertsRecipient } from "@/lib/pipeline/routing";

/** Delivery: one alert per recipient the routing accepts (sent, held or skipped later by alert.send). */
export const deliveryConsumer: Consumer = {
  name: "delivery",
  plan({ message, recipients }) {
    return {
      alerts: recipients
        .filter((recipient) => alertsRecipient(message, recipient))
        .map((recipient) => ({ recipientId: recipient.id, kind: "alert" as const })),
    };
  },
};
