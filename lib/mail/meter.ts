/**
 * Process-wide counters of provider calls, fed by the vendor clients' meter callbacks. The
 * benchmark reads them (calls and Gmail quota units per email); nothing else depends on them.
 */
export const providerUsage = { gmailCalls: 0, gmailQuotaUnits: 0, graphCalls: 0 };

export function resetProviderUsage(): void {
  providerUsage.gmailCalls = 0;
  providerUsage.gmailQuotaUnits = 0;
  providerUsage.graphCalls = 0;
}
