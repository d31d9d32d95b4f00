import { gmailQuotaFromEnv } from "@/lib/config/mail-providers";
import { type CatchUp, setCatchUp } from "@/lib/db/mailbox-sync-state";
import { advanceCursor } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import type { Mailbox } from "@/lib/db/schemas";
import type { MailboxSession } from "@/lib/jobs/mailbox-access";
import type { Deferral } from "@/lib/jobs/outcome";
import { recordMessages } from "@/lib/jobs/record-messages";
import type { Logger } from "@/lib/log";

/** One run spends at most this long paging; the next run resumes where it stopped. */
export const CATCH_UP_RUN_MS = 15_000;
const BATCH = 500;

/** Quota units one page costs: messages.list, and getProfile for the cursor on the first page. */
function pageCost(mailbox: Mailbox, first: boolean): number {
  if (mailbox.provider !== "gmail") return 0;
  const { costs } = gmailQuotaFromEnv();
  return costs["messages.list"] + (first ? costs.getProfile : 0);
}

export type CatchUpRun = {
  db: Db;
  mailbox: Mailbox;
  session: MailboxSession;
  log: Logger;
  now: Date;
  /** Where a new catch-up starts listing from. */
  since: Date;
  /** The catch-up a previous run left, if it still applies to this cursor. */
  resume: CatchUp | null;
  /** Units the mailbox may still spend this window (Infinity where no budget applies). */
  remainingUnits: number;
  /** When the mailbox's quota window ends (its budget is whole again). */
  windowEndsAt: Date | null;
};

/**
 * The bounded full sync after an expired cursor: every inbox message received since `since`,
 * page after page, with no cap on how many — bounded instead by time (CATCH_UP_RUN_MS per run)
 * and by the mailbox's quota budget, and resumable across runs: after each page is recorded the
 * progress (next page, the cursor taken before the first page) is saved, so a run that stops, is
 * throttled or dies resumes at the next page, re-reading at most one (recording is idempotent).
 * The change cursor moves only once the last page is recorded. Returns a deferral while pages
 * remain: soon when time ran out, at the end of the quota window when the budget is spent.
 */
export async function runCatchUp(run: CatchUpRun): Promise<Deferral | "done"> {
  const { db, mailbox, session, log } = run;
  let state: CatchUp = run.resume ?? {
    since: run.since.toISOString(),
    pageToken: null,
    cursor: null,
    replaces: mailbox.cursor,
    listed: 0,
    startedAt: run.now.toISOString(),
  };
  let units = run.remainingUnits;
  const stopAt = Date.now() + CATCH_UP_RUN_MS;
  for (;;) {
    const cost = pageCost(mailbox, state.cursor === null);
    if (units < cost) {
      log.info("sync.catch_up_paused", { mailboxId: mailbox.id, reason: "quota", listed: state.listed });
      await setCatchUp(db, mailbox.id, state);
      const deferUntil = run.windowEndsAt ?? new Date(run.now.getTime() + 60_000);
      return { deferUntil, note: "catch-up waits for quota" };
    }
    if (Date.now() > stopAt) {
      log.info("sync.catch_up_paused", { mailboxId: mailbox.id, reason: "time", listed: state.listed });
      await setCatchUp(db, mailbox.id, state);
      return { deferUntil: new Date(), note: "catch-up continues" };
    }
    const page = await session.provider.inboxPage(session.access, {
      since: new Date(state.since),
      pageToken: state.pageToken,
    });
    units -= cost;
    for (let i = 0; i < page.messageIds.length; i += BATCH) {
      await recordMessages(db, mailbox.id, page.messageIds.slice(i, i + BATCH));
    }
    state = {
      ...state,
      cursor: state.cursor ?? page.cursor,
      pageToken: page.nextPageToken,
      listed: state.listed + page.messageIds.length,
    };
    if (page.nextPageToken === null) break;
    await setCatchUp(db, mailbox.id, state);
  }
  const advanced = state.cursor
    ? (await advanceCursor(db, mailbox.id, state.cursor, state.replaces)).advanced
    : false;
  await setCatchUp(db, mailbox.id, null);
  log.info("sync.catch_up_done", { mailboxId: mailbox.id, listed: state.listed, advanced });
  return "done";
}
