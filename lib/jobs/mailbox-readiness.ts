import type { MailboxSyncState } from "@/lib/db/mailbox-sync-state";
import type { Db } from "@/lib/db/port";
import type { Mailbox } from "@/lib/db/schemas";
import { mailboxGate } from "@/lib/jobs/mailbox-quota";
import type { Deferral } from "@/lib/jobs/outcome";

/** How long a message job waits, without spending an attempt, for a mailbox to be reconnected. */
const RECONNECT_WAIT_MS = 3_600_000;

/**
 * Reconnection will let the job through; until then it looks again hourly without spending an
 * attempt (a retry would go dead after a few hours and the email's work would never be done).
 */
export function reconnectWait(now: Date): Deferral {
  return { deferUntil: new Date(now.getTime() + RECONNECT_WAIT_MS), note: "mailbox needs reconnecting" };
}

export type MailboxReadiness =
  | { kind: "open" }
  | { kind: "disconnected" }
  | { kind: "wait"; deferral: Deferral };

/**
 * Whether a job about one email may call its mailbox's provider now: not once the owner
 * disconnected it, later while it needs reconnecting, and later while the provider throttles it or
 * its Gmail per-user quota is spent (`syncState` is the state the job's context read carried).
 */
export async function mailboxReadiness(
  db: Db,
  mailbox: Mailbox,
  now: Date,
  syncState: MailboxSyncState,
): Promise<MailboxReadiness> {
  if (mailbox.status === "disconnected") return { kind: "disconnected" };
  if (mailbox.status !== "active") return { kind: "wait", deferral: reconnectWait(now) };
  const gate = await mailboxGate(db, mailbox, now, syncState);
  return gate.open ? { kind: "open" } : { kind: "wait", deferral: gate.deferral };
}
