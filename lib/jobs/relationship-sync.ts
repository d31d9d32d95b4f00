import { z } from "zod";
import { getMailboxSyncContext, releaseHeldAnalyses } from "@/lib/db/mailboxes";
import { getRelationshipProgress, recordSentMail, saveRelationshipProgress } from "@/lib/db/relationships";
import { defineJob } from "@/lib/jobs/define";
import { withMailbox } from "@/lib/jobs/mailbox-access";
import { messageAnalyzeJob } from "@/lib/jobs/message-analyze";
import { organizationHasher } from "@/lib/jobs/relationship-hasher";
import { GMAIL_QUOTA_WINDOW_SECONDS } from "@/lib/mail/gmail/quota";
import { recordedMail } from "@/lib/relationships/sent-mail";

/** The backfill reads the last 12 months or 2,000 sent emails, whichever comes first. */
export const BACKFILL_MONTHS = 12;
export const BACKFILL_LIMIT = 2_000;
/** One run reads at most this many sent emails (Gmail: ~5 units each), then yields the worker. */
const STEP_MESSAGES = 100;
const STEPS_PER_RUN = 5;
/** A lost place (expired history id or delta link) is caught up from this far back. */
const RECOVERY_DAYS = 30;

const payloadSchema = z.object({ mailboxId: z.string() });

/**
 * relationship.sync — reads the owner's Sent folder into the relationship store (hashes only),
 * one job per mailbox (`relationships:<mailbox>`). At connect it backfills, a bounded number of
 * pages per run and re-queued until done, so a large Sent folder never holds a worker or a quota
 * window; afterwards each run (queued by a mailbox sync whose changes may hold sent mail: see
 * lib/jobs/mailbox-sync.ts) reads only what was sent since.
 * Recording is idempotent per sent email, and the provider's cursor is saved after each page is
 * recorded: a run that dies resumes where the last saved page ended.
 */
export const relationshipSyncJob = defineJob({
  kind: "relationship.sync",
  payload: payloadSchema,
  key: (p) => `relationships:${p.mailboxId}`,
  maxAttempts: 10,
  repeatable: true,
  leaseSeconds: 60,
  run: async ({ mailboxId }, { db, log, now, owed }) => {
    // The mailbox and its tokens in one read (its rate-limit state is not consulted here).
    const read = await getMailboxSyncContext(db, mailboxId, GMAIL_QUOTA_WINDOW_SECONDS);
    const mailbox = read?.mailbox;
    if (!read || mailbox?.status !== "active") return;
    const progress = await getRelationshipProgress(db, mailboxId);
    if (!progress) return;
    const hash = await organizationHasher(db, mailbox.organizationId);
    const moreToRead = await withMailbox(
      db,
      mailbox,
      log,
      async ({ provider, access }) => {
        let cursor = progress.cursor;
        let state = progress.state;
        let read = progress.sentRead;
        for (let step = 0; step < STEPS_PER_RUN; step++) {
          const recovering = cursor === null && state === "current";
          const since = new Date(
            now().getTime() - (recovering ? RECOVERY_DAYS : BACKFILL_MONTHS * 30.5) * 86_400_000,
          );
          const batch = await provider.listSent(access, {
            cursor,
            since,
            maxMessages: STEP_MESSAGES,
            backfillLimit: BACKFILL_LIMIT,
          });
          const mails = batch.mails.map((m) => recordedMail(m, hash, [mailbox.address]));
          if (mails.length > 0) await recordSentMail(db, mailboxId, mails);
          read += batch.mails.length;
          cursor = batch.cursor;
          state = batch.phase === "incremental" ? "current" : "backfilling";
          await saveRelationshipProgress(db, { mailboxId, cursor, state, readAdd: batch.mails.length });
          if (batch.phase === "incremental" && cursor !== null) {
            // The store is current: the first analyses, held while it was read, run now.
            if (progress.state !== "current") {
              await releaseHeldAnalyses(db, mailboxId, messageAnalyzeJob.kind);
              log.info("relationships.current", { mailboxId, read });
            }
            return false;
          }
        }
        return true;
      },
      { stored: read.tokens, owed },
    );
    // Still backfilling: come back at once, as a fresh run (another mailbox's work may go first).
    if (moreToRead)
      return { deferUntil: new Date(now().getTime() + 1_000), note: "backfilling the Sent folder" };
    return undefined;
  },
});
