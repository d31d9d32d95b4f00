/** Meta's customer-service window: free-form messages only within 24 h of the recipient's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Margin before the window closes: a message decided at 23:59:59 could reach Meta after 24 h and
 * fail with 131047; sending the template a minute early avoids that round trip.
 */
export const WINDOW_SAFETY_MARGIN_MS = 60 * 1000;

export function isWindowOpen(lastInboundAt: Date | null, now: Date): boolean {
  if (!lastInboundAt) return false;
  return now.getTime() - lastInboundAt.getTime() < CUSTOMER_SERVICE_WINDOW_MS - WINDOW_SAFETY_MARGIN_MS;
}
