import { z } from "zod";
import { call, type Db, isoDate } from "@/lib/db/port";

/** A catch-up (bounded full sync after an expired cursor) in progress, resumable by the next run. */
export const catchUpSchema = z.object({
  /** Inbox mail received from this instant on is listed (ISO). */
  since: z.string(),
  /** The provider's next page, null before the first one. */
  pageToken: z.string().nullable(),
  /** Where the change cursor goes once every page is recorded (taken before the first page). */
  cursor: z.string().nullable(),
  /** The expired cursor the catch-up replaces (compare-and-set when it ends). */
  replaces: z.string().nullable(),
  listed: z.number().int().nonnegative(),
  /** ISO instant the catch-up began. */
  startedAt: z.string(),
});
export type CatchUp = z.infer<typeof catchUpSchema>;

export const mailboxSyncStateSchema = z.object({
  windowStartedAt: isoDate,
  windowEndsAt: isoDate,
  unitsUsed: z.number(),
  throttledUntil: isoDate.nullable(),
  catchUp: catchUpSchema.nullable(),
});
export type MailboxSyncState = z.infer<typeof mailboxSyncStateSchema>;
const stateSchema = mailboxSyncStateSchema;

export const getMailboxSyncState = (db: Db, mailboxId: string, windowSeconds: number) =>
  call(
    db,
    "mailbox_sync_state_get",
    { p_mailbox_id: mailboxId, p_window_seconds: windowSeconds },
    stateSchema,
  );

export const spendMailboxQuota = (db: Db, mailboxId: string, units: number, windowSeconds: number) =>
  call(
    db,
    "mailbox_quota_spend",
    { p_mailbox_id: mailboxId, p_units: units, p_window_seconds: windowSeconds },
    stateSchema,
  );

export const throttleMailbox = (db: Db, mailboxId: string, until: Date) =>
  call(
    db,
    "mailbox_throttle",
    { p_mailbox_id: mailboxId, p_until: until },
    z.object({ throttledUntil: isoDate }),
  );

export const setCatchUp = (db: Db, mailboxId: string, catchUp: CatchUp | null) =>
  call(
    db,
    "mailbox_set_catch_up",
    { p_mailbox_id: mailboxId, p_catch_up: catchUp },
    z.object({ catchUp: catchUpSchema.nullable() }),
  );
