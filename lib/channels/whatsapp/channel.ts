import type { Channel, SendOutcome } from "@/lib/channels/channel";
import type { WhatsAppConfig } from "@/lib/channels/whatsapp/config";
import { deliver } from "@/lib/channels/whatsapp/deliver";
import {
  OutcomeUnknownError,
  RateLimitError,
  TransientError,
  UndeliverableError,
  UnexpectedResponseError,
  WhatsAppError,
  WindowClosedError,
} from "@/lib/channels/whatsapp/errors";
import { WHATSAPP_ALERT_ACTIONS } from "@/lib/channels/whatsapp/render-alert";
import { isWindowOpen } from "@/lib/channels/whatsapp/window";
import { isE164, normalizePhone } from "@/lib/domain/phone";

/** A Cloud API failure as the shared outcome (lib/channels/channel.ts). Anything else is a bug and is rethrown. */
export function outcomeOf(error: unknown): SendOutcome {
  if (!(error instanceof WhatsAppError)) throw error;
  const failure = { code: error.code, reason: error.message };
  if (error instanceof OutcomeUnknownError || error instanceof UnexpectedResponseError) {
    return { outcome: "unknown", reason: error.message };
  }
  if (error instanceof RateLimitError)
    return { outcome: "retry-after", afterMs: error.retryAfterMs, ...failure };
  if (error instanceof TransientError) return { outcome: "retry-after", afterMs: null, ...failure };
  if (error instanceof UndeliverableError) return { outcome: "undeliverable", ...failure };
  // Only a message without a template (a reply) can still end here: deliver() falls back otherwise.
  if (error instanceof WindowClosedError) return { outcome: "window-closed", ...failure };
  // Template or token configuration, or a request Meta refuses.
  return { outcome: "permanent", ...failure };
}

/**
 * WhatsApp behind the channel seam: E.164 numbers, opt-in by code, Meta's 24-hour customer-service
 * window (interactive messages inside it, the approved template outside), sends over the Cloud API.
 */
export const whatsAppChannel: Channel<WhatsAppConfig> = {
  name: "whatsapp",
  alertActions: WHATSAPP_ALERT_ACTIONS,
  address: {
    kind: "e164",
    parse: (input) => (isE164(input) ? input : normalizePhone(input)),
  },
  optIn: "code",
  window: (lastInboundAt, now) => (isWindowOpen(lastInboundAt, now) ? "open" : "closed"),
  async send(config, request) {
    try {
      const sent = await deliver(config, {
        to: request.to,
        alertId: request.alertId,
        locale: request.locale,
        rendered: request.rendered,
        useTemplate: request.forceTemplate || request.window === "closed",
        timeoutMs: request.timeoutMs,
      });
      return { outcome: "sent", providerMessageId: sent.wamid, delivery: sent.delivery };
    } catch (error) {
      return outcomeOf(error);
    }
  },
};
