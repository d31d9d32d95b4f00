import type { ProviderKind } from "@/lib/mail/types";

/**
 * Typed failures of the mail vendors (Gmail, Outlook). Jobs and routes branch on the class (or on
 * `code`, which survives structured logging) to decide: reconnect, retry later, refresh, resync.
 * Messages never contain tokens, addresses or email content.
 */

/** The grant is gone (revoked, expired, scope removed): stop retrying and ask the owner to reconnect. */
export class ReconnectRequiredError extends Error {
  readonly code = "reconnect_required";
  constructor(
    readonly provider: ProviderKind,
    /** Vendor reason, e.g. `invalid_grant`, `insufficient_scope`. */
    readonly reason: string,
  ) {
    super(`${provider}: access was revoked or expired (${reason}); the mailbox must be reconnected`);
    this.name = "ReconnectRequiredError";
  }
}

/** The access token was rejected (HTTP 401): refresh it and try again once. */
export class TokenExpiredError extends Error {
  readonly code = "token_expired";
  constructor(readonly provider: ProviderKind) {
    super(`${provider}: the access token was rejected; refresh it and retry`);
    this.name = "TokenExpiredError";
  }
}

/** Throttled (429, or Gmail's 403 rate-limit reasons). `retryAfterMs` is the vendor's hint, when it gave one. */
export class RateLimitedError extends Error {
  readonly code = "rate_limited";
  constructor(
    readonly provider: ProviderKind,
    readonly retryAfterMs: number | null,
  ) {
    super(`${provider}: rate limited${retryAfterMs === null ? "" : `, retry in ${retryAfterMs} ms`}`);
    this.name = "RateLimitedError";
  }
}

/** The vendor failed on its side (5xx) or could not be reached: retry later with backoff. */
export class ProviderUnavailableError extends Error {
  readonly code = "provider_unavailable";
  constructor(
    readonly provider: ProviderKind,
    /** HTTP status, or null when the request never got an answer. */
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(`${provider}: service unavailable${status === null ? "" : ` (HTTP ${status})`}`, options);
    this.name = "ProviderUnavailableError";
  }
}

/** A change cursor the vendor no longer knows (Gmail history 404, Graph delta 410): run a bounded full sync. */
export class CursorExpiredError extends Error {
  readonly code = "cursor_expired";
  constructor(readonly provider: ProviderKind) {
    super(`${provider}: the sync cursor expired`);
    this.name = "CursorExpiredError";
  }
}

/** Gmail: another push client holds the mailbox's watch; `users.stop` then `users.watch` again. */
export class WatchConflictError extends Error {
  readonly code = "watch_conflict";
  constructor(readonly provider: ProviderKind) {
    super(`${provider}: another push notification client is registered for this mailbox`);
    this.name = "WatchConflictError";
  }
}

/** The mailbox's grant lacks a scope this call needs (sending a reply without Mail.Send): the user must consent to it. */
export class MissingScopeError extends Error {
  override readonly name = "MissingScopeError";
  constructor(
    readonly provider: ProviderKind,
    readonly scope: string,
  ) {
    super(`${provider}: the mailbox has not granted ${scope}; enable replies in Settings to ask for it`);
  }
}

/** Any other refusal (4xx) or an answer that does not match the vendor's documented shape. */
export class ProviderRequestError extends Error {
  readonly code = "provider_request_failed";
  constructor(
    readonly provider: ProviderKind,
    readonly status: number,
    /** Vendor reason (`invalidArgument`, `invalid_client`, …) or `invalid_response`. */
    readonly reason: string,
  ) {
    super(`${provider}: request refused (HTTP ${status}, ${reason})`);
    this.name = "ProviderRequestError";
  }
}

/** An inbound token (push OIDC bearer, id_token) failed verification: answer 401, store nothing. */
export class UnauthorizedError extends Error {
  readonly code = "unauthorized";
  constructor(readonly reason: string) {
    super(`unauthorized: ${reason}`);
    this.name = "UnauthorizedError";
  }
}

/**
 * `Retry-After` as milliseconds, rounded up: delta-seconds or an HTTP date; null when absent or
 * unreadable. RFC 9110 allows only whole seconds, but Microsoft Graph sends fractions ("2.128" in
 * its own throttling guide, microsoftgraph/microsoft-graph-docs#17442, and on $batch answers,
 * microsoftgraph/microsoft-graph-docs#3877), and Google front ends do likewise: a decimal is read
 * as seconds, never as a date (`Date.parse("2.5")` is a day in 2001, i.e. "retry now").
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  // An HTTP date always names a weekday and a month; anything else is not a date we trust.
  if (!/[a-z]{3}/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
