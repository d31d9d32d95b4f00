import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Process-wide counters of provider calls, fed by the vendor clients' meter callbacks. The
 * benchmark reads them (calls and Gmail quota units per email); nothing else depends on them.
 */
export const providerUsage = {
  gmailCalls: 0,
  gmailQuotaUnits: 0,
  /** Gmail calls per method, so a run can be priced under any quota profile (lib/mail/gmail/quota.ts). */
  gmailCallsByMethod: {} as Record<string, number>,
  graphCalls: 0,
};

export function resetProviderUsage(): void {
  providerUsage.gmailCalls = 0;
  providerUsage.gmailQuotaUnits = 0;
  providerUsage.gmailCallsByMethod = {};
  providerUsage.graphCalls = 0;
}

const scope = new AsyncLocalStorage<{ units: number }>();

/**
 * Runs `work` counting the provider quota units its calls cost (Gmail's, see lib/mail/gmail/quota.ts),
 * so a job can charge them to its mailbox's per-user budget. Scopes do not leak across jobs that
 * run concurrently: each has its own async context.
 */
export async function withUnitCount<T>(work: () => Promise<T>): Promise<{ result: T; units: number }> {
  const counter = { units: 0 };
  const result = await scope.run(counter, work);
  return { result, units: counter.units };
}

/** Adds units to the current `withUnitCount` scope (none outside a scope). */
export function chargeUnits(units: number): void {
  const counter = scope.getStore();
  if (counter) counter.units += units;
}
