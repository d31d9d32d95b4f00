/**
 * How many jobs one instance's drain runs at once, and the database pool sized with it. A job
 * spends most of its time waiting on a vendor (Gmail 80 ms, Gemini 600 ms, WhatsApp 150 ms a call),
 * so one worker needs many jobs in flight to keep its CPU busy; each of them needs a connection at
 * times, and the webhook requests the instance answers meanwhile need some too.
 */
export const DEFAULT_DRAIN_CONCURRENCY = 16;
/** Connections beyond the drain's: webhook requests, heartbeats, the page a user is loading. */
export const POOL_HEADROOM = 4;

export function drainSizing(settings: { concurrency?: number; poolMax?: number }) {
  const concurrency = settings.concurrency ?? DEFAULT_DRAIN_CONCURRENCY;
  return { concurrency, poolMax: settings.poolMax ?? concurrency + POOL_HEADROOM };
}
