import type { AttachmentMeta, NormalizedMessage, ProviderKind } from "@/lib/mail/types";
import type { SentMail } from "@/lib/relationships/sent-mail";

/** What a provider call needs: a fresh access token and the mailbox it belongs to. */
export type MailboxAccess = {
  accessToken: string;
  /** The mailbox address (Gmail `userId` is "me"; kept for logs and sandbox storage). */
  address: string;
  /** Our mailbox id (sandbox storage key; never sent to a vendor). */
  mailboxId: string;
};

/** OAuth tokens as a provider returns them. `refreshToken` is set only when the provider rotated/issued one. */
export type TokenSet = {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
  scope: string | null;
};

/**
 * Changes since a cursor. `messageIds` covers every page; `cursor` is where the next call starts and
 * may be stored only after all those messages are recorded. `sentMail` says whether the same changes
 * hold mail the owner sent: `false` only when the provider saw every added message's labels and none
 * was sent mail (the relationship store then has nothing new to read); absent when it cannot tell.
 */
export type ChangeSet =
  | { kind: "changes"; messageIds: string[]; cursor: string; sentMail?: boolean }
  /** The stored cursor is too old (Gmail 404, Graph 410): run `recentInbox` instead. */
  | { kind: "expired" };

/** Push registration state (Gmail watch, Graph subscription), stored as JSON on the mailbox. */
export type WatchState = {
  /** Graph subscription id; null for Gmail (one watch per mailbox). */
  id: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Graph clientState secret (compared in constant time). */
  clientState: string | null;
  /** Gmail: historyId returned by users.watch (a valid start cursor). */
  cursor: string | null;
};

/** One step of reading the owner's Sent folder. `cursor` null starts the backfill from `since`. */
export type SentParams = {
  cursor: string | null;
  since: Date;
  /** At most this many sent emails read in this step. */
  maxMessages: number;
  /** The backfill stops after this many sent emails in all; the rest is history. */
  backfillLimit: number;
};

/**
 * What one step read, and where the next starts. `phase` is where the reading stands after this
 * step: `backfill` (more history to read) or `incremental` (caught up: later steps return only
 * new sent mail). A null cursor means the provider lost its place (an expired history id or
 * delta link): start a bounded backfill again.
 */
export type SentBatch = { mails: SentMail[]; cursor: string | null; phase: "backfill" | "incremental" };

/** Actions the user may allow. Nothing the model writes can add to this list. */
export type AutoAction = { kind: "label"; name: string } | { kind: "mark_read" } | { kind: "archive" };

/**
 * A mailbox's provider label ids by lower-cased label name (Gmail label names are unique regardless
 * of case), as the caller keeps them between calls — in the database, shared by every worker. The
 * provider updates the map in place: ids it had to look up or create are added, ids the provider
 * said no longer exist are removed. Only the names we apply are in it, never the user's own labels.
 */
export type LabelIds = Map<string, string>;

/**
 * A reply the user approved (confirmed on WhatsApp, or an approved template sent by an automatic
 * rule), to send from the mailbox in the thread of one email. The original's body is not quoted:
 * we never kept it.
 */
export type OutgoingReply = {
  /** The email answered, as the provider knows it. */
  providerMessageId: string;
  threadId: string | null;
  to: { name: string | null; address: string };
  /** Already "Re: " once (lib/replies/reply-subject.ts). */
  subject: string;
  text: string;
  /** The same text as HTML, for providers that take HTML. */
  html: string;
  /** The original's Message-ID and the References chain, without angle brackets. */
  inReplyTo: string | null;
  references: string[];
  /** RFC 3834 §5: `Auto-Submitted: auto-replied` on what an automatic rule sends. */
  autoSubmitted: boolean;
};

export interface MailProvider {
  readonly kind: ProviderKind;
  /** Every change since `cursor` (all pages). */
  listChanges(access: MailboxAccess, cursor: string): Promise<ChangeSet>;
  /**
   * Bounded full sync of recent inbox mail (cursor expired, or first sync). The returned cursor is
   * taken before listing, so anything arriving meanwhile is seen again (and deduplicated) rather
   * than missed.
   */
  recentInbox(
    access: MailboxAccess,
    params: { since: Date; max: number },
  ): Promise<{ messageIds: string[]; cursor: string }>;
  /**
   * One page of inbox mail received since `since`, newest first: a catch-up after an expired
   * cursor pages through the whole window, bounded by time and quota, resuming across job runs
   * from `nextPageToken`. The first page (`pageToken` null) also returns the change cursor to store
   * once every page is recorded — taken before listing, so mail arriving meanwhile is seen again
   * (and deduplicated) rather than missed. Later pages return `cursor: null`.
   */
  inboxPage(
    access: MailboxAccess,
    params: { since: Date; pageToken: string | null },
  ): Promise<{ messageIds: string[]; nextPageToken: string | null; cursor: string | null }>;
  /** One message, or null when it no longer exists (deleted before we fetched it). */
  fetchMessage(access: MailboxAccess, providerMessageId: string): Promise<NormalizedMessage | null>;
  /**
   * One attachment's bytes, fetched on demand by the id the provider gave in the message's
   * `attachments` metadata. Null when the message or the attachment is gone. The bytes live in the
   * caller's memory only: never stored, logged or written to disk.
   */
  fetchAttachment(
    access: MailboxAccess,
    providerMessageId: string,
    attachment: AttachmentMeta,
  ): Promise<Uint8Array | null>;
  /**
   * Applies allowed actions; returns what was done, in words for the audit trail
   * (lib/mail/auto-action-entry.ts). `labels` are the mailbox's known label ids (providers that
   * label by name ignore them); without it the ids are looked up for this call only.
   */
  applyActions(
    access: MailboxAccess,
    providerMessageId: string,
    actions: AutoAction[],
    labels?: LabelIds,
  ): Promise<string[]>;
  /** Starts or renews push. `previous` is the stored state, if any. */
  watch(access: MailboxAccess, params: { previous: WatchState | null }): Promise<WatchState>;
  stopWatch(access: MailboxAccess, state: WatchState | null): Promise<void>;
  /** Metadata of the owner's sent mail (recipients, Message-ID, date), a bounded step at a time. */
  listSent(access: MailboxAccess, params: SentParams): Promise<SentBatch>;
  /**
   * Sends a reply in the email's thread. Null when the email answered no longer exists in the
   * mailbox; the provider's id of the sent message when it gives one.
   */
  sendReply(
    access: MailboxAccess,
    reply: OutgoingReply,
  ): Promise<{ providerMessageId: string | null } | null>;
}
