import { z } from "zod";
import { advanceCursor, getMailbox } from "@/lib/db/mailboxes";
import { defineJob } from "@/lib/jobs/define";
import { withMailbox } from "@/lib/jobs/mailbox-access";
import { recordMessages } from "@/lib/jobs/record-messages";

/** First sync of a new mailbox looks back this far; an expired cursor looks back to the last sync. */
const FIRST_SYNC_DAYS = 3;
const FIRST_SYNC_MAX = 50;
const CATCH_UP_MAX = 500;
const CATCH_UP_FLOOR_DAYS = 14;
const BATCH = 500;

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
 * cursor (Gmail 404, Graph 410) triggers a bounded full sync of recent inbox mail since the last
 * successful sync, deduplicated against what is recorded: no gap, no duplicate.
 */
export const mailboxSyncJob = defineJob({
  kind: "mailbox.sync",
  payload: payloadSchema,
  key: (p) => `sync:${p.mailboxId}`,
  maxAttempts: 12,
  repeatable: true,
  // A full catch-up pages through up to 500 messages: heartbeated, so this only bounds a crash's wait.
  leaseSeconds: 60,
  run: async ({ mailboxId, historyHint }, { db, log, now }) => {
    const mailbox = await getMailbox(db, mailboxId);
    if (mailbox?.status !== "active") return;
    const started = mailbox.cursor;

    // A Gmail push whose history id we already passed carries nothing new: skip the history call.
    if (mailbox.provider === "gmail" && historyHint && started && /^\d+$/.test(started)) {
      if (BigInt(historyHint) <= BigInt(started)) return;
    }

    await withMailbox(db, mailbox, log, async ({ provider, access }) => {
      let ids: string[];
      let cursor: string;
      const changes =
        started === null ? ({ kind: "expired" } as const) : await provider.listChanges(access, started);
      if (changes.kind === "changes") {
        ids = changes.messageIds;
        cursor = changes.cursor;
      } else {
        const floor = new Date(now().getTime() - CATCH_UP_FLOOR_DAYS * 86_400_000);
        // Never synced yet: back to when the cursor was set (sign-up), not two weeks of older mail.
        const lastGood = mailbox.lastSyncedAt ?? mailbox.cursorUpdatedAt ?? floor;
        const since =
          started === null
            ? new Date(now().getTime() - FIRST_SYNC_DAYS * 86_400_000)
            : new Date(Math.max(floor.getTime(), lastGood.getTime() - 3_600_000));
        const full = await provider.recentInbox(access, {
          since,
          max: started === null ? FIRST_SYNC_MAX : CATCH_UP_MAX,
        });
        log.info("sync.full", {
          mailboxId,
          reason: started === null ? "first" : "cursor_expired",
          found: full.messageIds.length,
        });
        ids = full.messageIds;
        cursor = full.cursor;
      }
      let recorded = 0;
      for (let i = 0; i < ids.length; i += BATCH) {
        recorded += (await recordMessages(db, mailboxId, ids.slice(i, i + BATCH))).recorded;
      }
      const { advanced } = await advanceCursor(db, mailboxId, cursor, started);
      log.info("sync.done", { mailboxId, seen: ids.length, recorded, advanced });
    });
  },
});
