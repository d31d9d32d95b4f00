import { drainSettings } from "@/lib/config/drain";
import { db } from "@/lib/db/client";
import { type DrainReport, drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
import { type Logger, log as rootLog } from "@/lib/log";

/**
 * One background drain per instance, however many requests ask for one. Each webhook request used
 * to start its own drain after answering: at 50 concurrent requests, 50 drains competed for a
 * pool of 5 connections and the acknowledgements waited behind them. Now a request that finds a
 * drain running queues (at most) one more pass after it — the running pass may already have
 * looked for due jobs before this request stored its own — and waits for that pass, so `after()`
 * keeps the function alive exactly as long as the work it asked for.
 *
 * Kept on globalThis: Next bundles each route separately, and every route of an instance must
 * share the one drain.
 */
type State = { current: Promise<void> | null; queued: Promise<void> | null };
const g = globalThis as { __fluxasyncDrain?: State };
g.__fluxasyncDrain ??= { current: null, queued: null };
const state: State = g.__fluxasyncDrain;

function start(pass: () => Promise<unknown>, log: Logger): Promise<void> {
  const p: Promise<void> = pass()
    .then(() => undefined)
    .catch((error: unknown) => log.warn("drain.background_failed", { error }))
    .finally(() => {
      if (state.current === p) state.current = null;
    });
  state.current = p;
  return p;
}

/** Runs `pass` now if no drain is running in this instance, else once after the running one. */
export function requestPass(pass: () => Promise<unknown>, log: Logger = rootLog): Promise<void> {
  if (!state.current) return start(pass, log);
  if (!state.queued) {
    state.queued = state.current.then(() => {
      state.queued = null;
      return start(pass, log);
    });
  }
  return state.queued;
}

/** A drain of the process's database at the configured concurrency (DRAIN_CONCURRENCY). */
export async function drainConfigured(budgetMs: number, log: Logger = rootLog): Promise<DrainReport> {
  return drainJobs(await db(), jobRegistry(), { budgetMs, concurrency: drainSettings().concurrency, log });
}

/** The instance's background drain: joined when one is running, started otherwise. */
export function drainInBackground(budgetMs: number, log: Logger = rootLog): Promise<void> {
  return requestPass(() => drainConfigured(budgetMs, log), log);
}
