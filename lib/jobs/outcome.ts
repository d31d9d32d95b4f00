/** What a job handler can say besides "done" (return) or "failed, retry with backoff" (throw). */

/** Retry after a delay the vendor asked for (Retry-After), still counting an attempt. */
export class RetryLater extends Error {
  constructor(
    readonly seconds: number,
    message = "retry later",
  ) {
    super(message);
    this.name = "RetryLater";
  }
}

/** Will never succeed by retrying (bad data, revoked access): the job goes dead at once, visibly. */
export class PermanentFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentFailure";
  }
}

/** Run again at `runAt` without spending an attempt (quiet hours, waiting for a status webhook). */
export type Deferral = { deferUntil: Date; note?: string };
