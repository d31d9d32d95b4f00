import { gmailQuotaFromEnv } from "@/lib/config/mail-providers";
import {
  getMailboxSyncState,
  type MailboxSyncState,
  spendMailboxQuota,
  throttleMailbox,
} from "@/lib/db/mailbox-sync-state";
import type { Db } from "@/lib/db/port";
import type { Mailbox } from "@/lib/db/schemas";
import type { Deferral } from "@/lib/jobs/outcome";
import { GMAIL_QUOTA_WINDOW_SECONDS } from "@/lib/mail/gmail/quota";

/**
 * The mailbox-level rate-limit state every job of a mailbox consults before calling its provider
 * (table mailbox_sync_state): a "not before" the provider asked for, and for Gmail the per-user
 * budget of quota units per minute (lib/mail/gmail/quota.ts), shared by all the mailbox's jobs in
 * every process. Budgets are charged after each job with the units its calls actually cost, so
 * concurrent jobs can overshoot by at most one job's worth — far below what Gmail would refuse.
 */

export type MailboxGate =
  | { open: true; state: MailboxSyncState | null; remainingUnits: number }
  | { open: false; deferral: Deferral };

/** The sandbox has no quota and no throttling: no state is read for it. */
const unlimited: MailboxGate = { open: true, state: null, remainingUnits: Number.POSITIVE_INFINITY };

/**
 * Open or not, from the mailbox's state. `known` is the state a context read already carried
 * (message_context, mailbox_sync_context, over GMAIL_QUOTA_WINDOW_SECONDS): no read of its own.
 */
export async function mailboxGate(
  db: Db,
  mailbox: Mailbox,
  now: Date,
  known?: MailboxSyncState,
): Promise<MailboxGate> {
  if (mailbox.provider === "sandbox") return unlimited;
  const state = known ?? (await getMailboxSyncState(db, mailbox.id, GMAIL_QUOTA_WINDOW_SECONDS));
  if (state.throttledUntil && state.throttledUntil > now) {
    return {
      open: false,
      deferral: { deferUntil: state.throttledUntil, note: `${mailbox.provider} throttled` },
    };
  }
  if (mailbox.provider !== "gmail") return { open: true, state, remainingUnits: Number.POSITIVE_INFINITY };
  const remainingUnits = gmailQuotaFromEnv().perUserPerMinute - state.unitsUsed;
  if (remainingUnits <= 0) {
    return { open: false, deferral: { deferUntil: state.windowEndsAt, note: "gmail per-user quota spent" } };
  }
  return { open: true, state, remainingUnits };
}

/** Units owed to mailboxes, charged by the drain when the job completes (job_complete's p_charges). */
export type QuotaCharges = { mailboxId: string; units: number; windowSeconds: number }[];

/**
 * Charges the units a job's calls cost to its mailbox's current window (Gmail only): added to
 * `owed` when the job hands them to its completion, else spent at once.
 */
export async function chargeMailbox(
  db: Db,
  mailbox: Mailbox,
  units: number,
  owed?: QuotaCharges,
): Promise<void> {
  if (mailbox.provider !== "gmail" || units <= 0) return;
  if (owed) owed.push({ mailboxId: mailbox.id, units, windowSeconds: GMAIL_QUOTA_WINDOW_SECONDS });
  else await spendMailboxQuota(db, mailbox.id, units, GMAIL_QUOTA_WINDOW_SECONDS);
}

/** The provider said "not before": every job of the mailbox waits, not only the one that was told. */
export async function recordThrottle(
  db: Db,
  mailbox: Mailbox,
  retryAfterMs: number,
  now: Date,
): Promise<void> {
  if (mailbox.provider === "sandbox") return;
  await throttleMailbox(db, mailbox.id, new Date(now.getTime() + retryAfterMs));
}
