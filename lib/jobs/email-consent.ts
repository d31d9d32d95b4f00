import { consentKey, renderConsentRequest } from "@/lib/channels/email/render-consent";
import type { RenderedMessage } from "@/lib/channels/rendered";
import type { Db } from "@/lib/db/port";
import type { Recipient } from "@/lib/db/schemas";
import { queueAlert } from "@/lib/jobs/queue-alert";

/**
 * Asks a new e-mail recipient to confirm (double opt-in): a `notice` alert whose one link, signed
 * for that alert, opts the recipient in. Nothing else is sent to the address before that.
 */
export function requestEmailConsent(db: Db, recipient: Recipient, organizationName: string) {
  const rendered: RenderedMessage = renderConsentRequest({
    locale: recipient.locale,
    name: recipient.name,
    organization: organizationName,
  });
  return queueAlert(db, {
    recipientId: recipient.id,
    kind: "notice",
    dedupeKey: consentKey(recipient.id),
    rendered,
  });
}
