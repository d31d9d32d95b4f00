import { providerFor, refreshTokens } from "@/lib/config/mail-providers";
import { requireReconnect } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import type { Mailbox, TokenRow } from "@/lib/db/schemas";
import { chargeMailbox, type QuotaCharges, recordThrottle } from "@/lib/jobs/mailbox-quota";
import { RetryLater } from "@/lib/jobs/outcome";
import type { Logger } from "@/lib/log";
import { RateLimitedError, ReconnectRequiredError, TokenExpiredError } from "@/lib/mail/errors";
import { withUnitCount } from "@/lib/mail/meter";
import type { MailboxAccess, MailProvider, TokenSet } from "@/lib/mail/provider";
import { keyRing } from "@/lib/security/keys";
import { loadTokens, openStoredTokens, saveTokens } from "@/lib/security/token-store";

export type MailboxSession = { provider: MailProvider; access: MailboxAccess };

/** Refresh this long before expiry, so a token never expires mid-sync. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A provider and a fresh access token for a mailbox. Refreshes shortly before expiry and stores the
 * result compare-and-set: when two workers refresh at once, the loser re-reads the winner's token
 * instead of overwriting it with its own (possibly older) one.
 */
export async function openMailbox(
  db: Db,
  mailbox: Mailbox,
  opts: { forceRefresh?: boolean; now?: Date; stored?: TokenRow | null } = {},
) {
  const provider = providerFor(mailbox.provider);
  const base = { address: mailbox.address, mailboxId: mailbox.id };
  if (mailbox.provider === "sandbox") return { provider, access: { ...base, accessToken: "" } };

  const ring = keyRing();
  // A job whose context already carries the token row (message_context) saves a read.
  const stored = opts.stored
    ? await openStoredTokens(ring, opts.stored)
    : await loadTokens(db, ring, mailbox.id);
  if (!stored?.tokens) throw new ReconnectRequiredError(mailbox.provider, "no stored tokens");
  let tokens = stored.tokens;
  const now = (opts.now ?? new Date()).getTime();
  if (opts.forceRefresh || tokens.expiresAt - now < REFRESH_MARGIN_MS) {
    if (!tokens.refreshToken) throw new ReconnectRequiredError(mailbox.provider, "no refresh token");
    let fresh: TokenSet;
    try {
      fresh = await refreshTokens(mailbox.provider, tokens.refreshToken, tokens.scope);
    } catch (error) {
      const newer =
        // Only Microsoft spends refresh tokens on use; Google's invalid_grant means revoked, at once.
        error instanceof ReconnectRequiredError && mailbox.provider === "outlook"
          ? await rotatedMeanwhile(db, mailbox.id, stored.version)
          : null;
      if (!newer) throw error;
      return { provider, access: { ...base, accessToken: newer.accessToken } };
    }
    const saved = await saveTokens(db, ring, {
      mailboxId: mailbox.id,
      tokens: fresh,
      previous: tokens,
      expectedVersion: stored.version,
    });
    if (saved.stored) {
      tokens = { ...fresh, refreshToken: fresh.refreshToken ?? tokens.refreshToken };
    } else {
      const newer = await loadTokens(db, ring, mailbox.id);
      tokens = newer?.tokens ?? { ...fresh, refreshToken: fresh.refreshToken ?? tokens.refreshToken };
    }
  }
  return { provider, access: { ...base, accessToken: tokens.accessToken } };
}

/**
 * A provider that spends a refresh token on use (Microsoft rotates it) refuses the loser of two
 * concurrent refreshes with invalid_grant. That is not a revoked grant: the winner is about to store
 * (or has stored) a newer token. Look for it for a moment before concluding the grant is gone.
 */
async function rotatedMeanwhile(db: Db, mailboxId: string, version: number): Promise<TokenSet | null> {
  for (let attempt = 0; ; attempt++) {
    const newer = await loadTokens(db, keyRing(), mailboxId);
    if (newer?.tokens && newer.version !== version) return newer.tokens;
    if (attempt === 3) return null;
    await new Promise((resolve) => setTimeout(resolve, 150 * (attempt + 1)));
  }
}

/**
 * Runs provider work for a mailbox with the error policy every mail job shares:
 * - a 401 refreshes the token and retries once;
 * - revoked access (invalid_grant, consent withdrawn) marks the mailbox reconnect_required, tells
 *   the owner, and returns null: no retry storm against a dead grant;
 * - rate limits retry after the vendor's Retry-After (RetryLater), recorded on the mailbox so its
 *   other jobs wait too (lib/jobs/mailbox-quota.ts); other errors propagate to the queue's backoff;
 * - the quota units the work's calls cost are charged to the mailbox's per-user budget, whatever
 *   the outcome (Gmail counts refused calls too): at once, or with the job's end when the job
 *   passes its `owed` list (the drain charges it in the round trip that completes the job).
 */
export async function withMailbox<T>(
  db: Db,
  mailbox: Mailbox,
  log: Logger,
  work: (session: MailboxSession) => Promise<T>,
  opts: { stored?: TokenRow | null; owed?: QuotaCharges } = {},
): Promise<T | null> {
  let units = 0;
  // Counted per job (an async scope), charged whatever the outcome: Gmail counts refused calls too.
  const counted = async (session: MailboxSession) => {
    const run = await withUnitCount(async () => {
      try {
        return { ok: true as const, value: await work(session) };
      } catch (error) {
        return { ok: false as const, error };
      }
    });
    units += run.units;
    if (!run.result.ok) throw run.result.error;
    return run.result.value;
  };
  try {
    try {
      return await counted(await openMailbox(db, mailbox, { stored: opts.stored }));
    } catch (error) {
      if (!(error instanceof TokenExpiredError)) throw error;
      return await counted(await openMailbox(db, mailbox, { forceRefresh: true }));
    }
  } catch (error) {
    if (error instanceof ReconnectRequiredError) {
      const { changed } = await requireReconnect(db, mailbox.id, `${mailbox.provider}: ${error.message}`);
      log.warn("mailbox.reconnect_required", { mailboxId: mailbox.id, provider: mailbox.provider });
      if (changed) await tellOwners(db, mailbox);
      return null;
    }
    if (error instanceof RateLimitedError) {
      const retryAfterMs = error.retryAfterMs ?? 30_000;
      await recordThrottle(db, mailbox, retryAfterMs, new Date());
      throw new RetryLater(Math.max(1, Math.ceil(retryAfterMs / 1000)), error.message);
    }
    throw error;
  } finally {
    await chargeMailbox(db, mailbox, units, opts.owed);
  }
}

async function tellOwners(db: Db, mailbox: Mailbox) {
  const { notifyOwners } = await import("@/lib/jobs/owner-notice");
  await notifyOwners(db, mailbox.organizationId, {
    kind: "mailbox_reconnect",
    mailboxId: mailbox.id,
    address: mailbox.address,
  });
}
