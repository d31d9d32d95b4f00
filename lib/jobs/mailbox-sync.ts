import { z } from "zod";
import { advanceCursor, getMailboxSyncContext } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import type { Mailbox } from "@/lib/db/schemas";
import { defineJob } from "@/lib/jobs/define";
import { enqueue } from "@/lib/jobs/enqueue";
import { type MailboxSession, withMailbox } from "@/lib/jobs/mailbox-access";
import { runCatchUp } from "@/lib/jobs/mailbox-catch-up";
import { mailboxGate } from "@/lib/jobs/mailbox-quota";
import { recordMessages } from "@/lib/jobs/record-messages";
import { relationshipSyncJob } from "@/lib/jobs/relationship-sync";
import type { Logger } from "@/lib/log";
import { GMAIL_QUOTA_WINDOW_SECONDS } from "@/lib/mail/gmail/quota";

/** First sync of a new mailbox looks back this far; an expired cursor looks back to the last sync. */
const FIRST_SYNC_DAYS = 3;
const FIRST_SYNC_MAX = 50;
const CATCH_UP_FLOOR_DAYS = 14;
const BATCH = 500;

/**
 * A new mailbox starts with its 50 newest inbox messages of the last 3 days (an onboarding
 * choice, not a vendor limit), then follows changes from the cursor taken before listing.
 */
async function firstSync(db: Db, mailbox: Mailbox, session: MailboxSession, log: Logger, now: Date) {
  const since = new Date(now.getTime() - FIRST_SYNC_DAYS * 86_400_000);
  const full = await session.provider.recentInbox(session.access, { since, max: FIRST_SYNC_MAX });
  log.info("sync.full", { mailboxId: mailbox.id, reason: "first", found: full.messageIds.length });
  for (let i = 0; i < full.messageIds.length; i += BATCH) {
    await recordMessages(db, mailbox.id, full.messageIds.slice(i, i + BATCH));
  }
  await advanceCursor(db, mailbox.id, full.cursor, null);
  return "done" as const;
}

/**
 * The payload of a sync request. The hint is always said, null when there is none: the sync skips
 * a run whose hint the cursor is already past, and merged payloads keep the highest hint, so "no
 * hint" must be explicit (a null wins the merge, see job_merge_payload) — or a poll or catch-up
 * coalesced with a stale push would be skipped, and the mail that came without any push with it.
 */
const payloadSchema = z.object({
  mailboxId: z.string(),
  historyHint: z
    .string()
    .nullable()
    .transform((v) => v || null),
  reason: z.string().optional(),
});

/**
 * mailbox.sync — one job per mailbox (`sync:<mailbox>`): pushes and polls coalesce into it, a push
 * arriving while it runs re-arms it, and the row keeps a mailbox's syncs one at a time. It brings
 * the mailbox up to date from its stored cursor (never from a push's hint). Every message id found
 * is recorded (idempotent, with its analysis job, in one transaction) before the cursor moves; the
 * cursor moves compare-and-set from the value this run started with. A run that dies halfway
 * leaves the cursor where it was, so the rerun records the rest and nothing twice. An expired
 * cursor (Gmail 404, Graph 410) triggers a full sync of inbox mail since the last successful sync,
 * paged across runs and bounded by time and quota (lib/jobs/mailbox-catch-up.ts), deduplicated
 * against what is recorded: no gap, no duplicate. Every run first consults the mailbox's
 * rate-limit state (lib/jobs/mailbox-quota.ts) and waits, without spending an attempt, while the
 * provider asked it to or the per-user quota window is spent.
 */
export const mailboxSyncJob = defineJob({
  kind: "mailbox.sync",
  payload: payloadSchema,
  key: (p) => `sync:${p.mailboxId}`,
  maxAttempts: 12,
  repeatable: true,
  // A catch-up run pages for up to 15 s: heartbeated, so this only bounds a crash's wait.
  leaseSeconds: 60,
  run: async ({ mailboxId, historyHint }, { db, log, now, owed }) => {
    // The mailbox, its tokens and its rate-limit state in one read.
    const read = await getMailboxSyncContext(db, mailboxId, GMAIL_QUOTA_WINDOW_SECONDS);
    const mailbox = read?.mailbox;
    if (!read || mailbox?.status !== "active") return;
    const started = mailbox.cursor;

    // A Gmail push whose history id we already passed carries nothing new: skip the history call.
    if (mailbox.provider === "gmail" && historyHint && started && /^\d+$/.test(started)) {
      if (BigInt(historyHint) <= BigInt(started)) return;
    }
    // The mailbox's provider asked us to wait, or its quota window is spent: wait, without an attempt.
    const gate = await mailboxGate(db, mailbox, now(), read.syncState);
    if (!gate.open) return gate.deferral;
    // A catch-up a previous run left for this very cursor resumes; one for another cursor is void.
    const resume = gate.state?.catchUp?.replaces === started ? (gate.state?.catchUp ?? null) : null;

    const outcome = await withMailbox(
      db,
      mailbox,
      log,
      async (session) => {
        const changes =
          started === null || resume
            ? ({ kind: "expired" } as const)
            : await session.provider.listChanges(session.access, started);
        if (changes.kind === "changes") {
          let recorded = 0;
          for (let i = 0; i < changes.messageIds.length; i += BATCH) {
            recorded += (await recordMessages(db, mailboxId, changes.messageIds.slice(i, i + BATCH)))
              .recorded;
          }
          // What the owner sent meanwhile joins the relationship store (one job per mailbox,
          // coalesced), queued before the cursor moves past it. Changes that hold no sent mail
          // queue nothing: on Gmail that halves the history.list calls and the jobs per email.
          // Outlook's inbox delta cannot see Sent Items (it reports created inbox messages only),
          // so there the Sent Items are read when the delta brought new mail: only an analysis
          // reads the store, and a delta of our own category/read/archive changes brings none.
          // What was sent meanwhile is read (from the Sent Items' own delta) by the sync that
          // brings the next new email, queued with its analysis as before.
          if (changes.sentMail ?? recorded > 0) await enqueue(db, relationshipSyncJob, { mailboxId });
          const { advanced } = await advanceCursor(db, mailboxId, changes.cursor, started);
          log.info("sync.done", { mailboxId, seen: changes.messageIds.length, recorded, advanced });
          return "changes" as const;
        }
        if (started === null) return firstSync(db, mailbox, session, log, now());
        const floor = new Date(now().getTime() - CATCH_UP_FLOOR_DAYS * 86_400_000);
        const lastGood = mailbox.lastSyncedAt ?? mailbox.cursorUpdatedAt ?? floor;
        return runCatchUp({
          db,
          mailbox,
          session,
          log,
          now: now(),
          // Back to an hour before the last good sync, never more than two weeks.
          since: new Date(Math.max(floor.getTime(), lastGood.getTime() - 3_600_000)),
          resume,
          remainingUnits: gate.remainingUnits,
          windowEndsAt: gate.state?.windowEndsAt ?? null,
        });
      },
      { stored: read.tokens, owed },
    );
    // A first sync or a catch-up cannot tell what was sent meanwhile: the relationship store reads.
    if (outcome !== null && outcome !== "changes") await enqueue(db, relationshipSyncJob, { mailboxId });
    return outcome === null || outcome === "done" || outcome === "changes" ? undefined : outcome;
  },
});
