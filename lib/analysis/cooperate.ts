/*
 * Long synchronous work written once as a generator whose `yield`s mark the points where it may
 * pause, run by either driver: `runToEnd` (synchronous callers, tests) or `runCooperatively`
 * (the pipeline), which lets the event loop run — webhooks, /api/health, timers — whenever a
 * slice has used its budget. Both drivers execute the same steps in the same order, so the result
 * is the same whichever runs it; only where the pauses fall differs.
 */

export type Steps<T> = Generator<void, T, void>;

/** A slice shorter than this runs on without pausing: a pause costs a turn of the event loop. */
export const SLICE_MS = 8;

const nextTurn: () => Promise<void> =
  typeof setImmediate === "function"
    ? () => new Promise((resolve) => setImmediate(resolve))
    : () => new Promise((resolve) => setTimeout(resolve, 0));

export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Past its budget of work, a cooperative run stops. Named like the platform's own time-outs
 * (AbortSignal.timeout's `TimeoutError`): on a loaded machine the same email may pass on a retry,
 * so callers treat it as a time limit, not as the email's fault.
 */
export class WorkBudgetExceeded extends Error {
  constructor(budgetMs: number) {
    super(`analysis stopped after ${budgetMs} ms of work`);
    this.name = "TimeoutError";
  }
}

export type CooperativeOptions = {
  sliceMs?: number;
  /** Work time (pauses excluded) after which the run throws WorkBudgetExceeded. */
  budgetMs?: number;
};

/**
 * Runs `steps`, pausing for a turn of the event loop at the first `yield` after every `sliceMs`
 * of work. The longest the event loop then waits is one step between two yields, plus `sliceMs`.
 */
export async function runCooperatively<T>(steps: Steps<T>, options: CooperativeOptions = {}): Promise<T> {
  const sliceMs = options.sliceMs ?? SLICE_MS;
  const budgetMs = options.budgetMs ?? Number.POSITIVE_INFINITY;
  let worked = 0;
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    const slice = performance.now() - sliceStart;
    if (worked + slice > budgetMs) {
      steps.return(undefined as never);
      throw new WorkBudgetExceeded(budgetMs);
    }
    if (slice >= sliceMs) {
      worked += slice;
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}

/** A pause between two pieces of synchronous work, when the caller is already async. */
export function yieldToEventLoop(): Promise<void> {
  return nextTurn();
}
