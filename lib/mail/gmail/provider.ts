import { CursorExpiredError, ProviderRequestError, WatchConflictError } from "@/lib/mail/errors";
import {
  createLabel,
  getAttachment,
  getMessage,
  getProfile,
  listHistory,
  listLabels,
  listMessages,
  modifyMessage,
  sendMessage,
  stop,
  watch,
} from "@/lib/mail/gmail/api";
import type { GmailCallOptions, GmailMeter } from "@/lib/mail/gmail/api-request";
import type { GmailMessagePart } from "@/lib/mail/gmail/api-schemas";
import { maxHistoryId } from "@/lib/mail/gmail/history-id";
import type { GmailCosts } from "@/lib/mail/gmail/quota";
import { listGmailSent } from "@/lib/mail/gmail/sent";
import { gmailMessageOffThread } from "@/lib/mail/mime-off-thread";
import type {
  AutoAction,
  ChangeSet,
  LabelIds,
  MailboxAccess,
  MailProvider,
  WatchState,
} from "@/lib/mail/provider";
import type { AttachmentMeta } from "@/lib/mail/types";
import { replyMime } from "@/lib/replies/reply-mime";

/** Every label we create lives under this parent, whatever the caller passes. */
export const GMAIL_LABEL_PREFIX = "FluxAsync/";

const PAGE_SIZE = 500;

export type GmailProviderOptions = {
  /** `projects/<id>/topics/<name>` that users.watch publishes to. */
  topicName: string;
  meter?: GmailMeter;
  /** Quota units per method (lib/mail/gmail/quota.ts): what the meter reports each call costs. */
  costs?: GmailCosts;
  /** Safety bound on history pages per sync (500 records each); see `listChanges`. */
  maxHistoryPages?: number;
};

function findPart(part: GmailMessagePart | undefined, partId: string): GmailMessagePart | undefined {
  if (!part) return undefined;
  if (part.partId === partId) return part;
  for (const child of part.parts ?? []) {
    const found = findPart(child, partId);
    if (found) return found;
  }
  return undefined;
}

/** Inbox mail that is not a draft. A record without labelIds is kept: losing mail is worse than one extra fetch. */
function isInboxArrival(labelIds: string[] | undefined): boolean {
  if (labelIds === undefined) return true;
  return labelIds.includes("INBOX") && !labelIds.includes("DRAFT");
}

/** Mail the owner sent (or one whose labels Gmail left out, which might be). */
function mayBeSent(labelIds: string[] | undefined): boolean {
  return labelIds === undefined || labelIds.includes("SENT");
}

export function createGmailProvider(options: GmailProviderOptions): MailProvider {
  const call: GmailCallOptions = { meter: options.meter, costs: options.costs };
  const maxPages = options.maxHistoryPages ?? 100;

  /**
   * Every messageAdded record after `cursor`, all pages.
   *
   * The returned cursor is the highest of: the start cursor, the last record returned, and the
   * first page's `historyId`. Not the last page's `historyId`: if Gmail's page tokens freeze the
   * result set at the first call, records added after it are not in later pages even though the
   * last page's `historyId` already counts them, and starting there would skip them. The worst
   * case of this choice is re-reading a few records next time (the pipeline dedupes on message id).
   * If the page bound is hit, the cursor is the last record seen, so the next sync resumes there.
   */
  async function listChanges(access: MailboxAccess, cursor: string): Promise<ChangeSet> {
    const ids = new Set<string>();
    // history.list's messageAdded records cover every label, the owner's sent mail included: the
    // same page tells the relationship store whether it has anything new to read.
    let sentMail = false;
    let seen = cursor;
    let firstPageHistoryId: string | undefined;
    let pageToken: string | undefined;
    try {
      for (let page = 0; page < maxPages; page++) {
        const res = await listHistory(
          access.accessToken,
          { startHistoryId: cursor, historyTypes: "messageAdded", pageToken, maxResults: PAGE_SIZE },
          call,
        );
        firstPageHistoryId ??= res.historyId;
        for (const record of res.history ?? []) {
          seen = maxHistoryId(seen, record.id);
          for (const added of record.messagesAdded ?? []) {
            if (isInboxArrival(added.message.labelIds)) ids.add(added.message.id);
            sentMail ||= mayBeSent(added.message.labelIds);
          }
        }
        pageToken = res.nextPageToken;
        if (pageToken === undefined) {
          const next = maxHistoryId(seen, firstPageHistoryId);
          return { kind: "changes", messageIds: [...ids], cursor: next, sentMail };
        }
      }
    } catch (error) {
      if (error instanceof CursorExpiredError) return { kind: "expired" };
      throw error;
    }
    return { kind: "changes", messageIds: [...ids], cursor: seen, sentMail };
  }

  /** Cursor first (getProfile), then the inbox since `since`, newest first, capped at `max`. */
  async function recentInbox(access: MailboxAccess, params: { since: Date; max: number }) {
    const profile = await getProfile(access.accessToken, call);
    const ids = new Set<string>();
    const q = `in:inbox after:${Math.floor(params.since.getTime() / 1000)}`;
    let pageToken: string | undefined;
    while (ids.size < params.max) {
      const maxResults = Math.min(PAGE_SIZE, params.max - ids.size);
      const res = await listMessages(access.accessToken, { q, pageToken, maxResults }, call);
      for (const m of res.messages ?? []) if (ids.size < params.max) ids.add(m.id);
      pageToken = res.nextPageToken;
      if (pageToken === undefined) break;
    }
    return { messageIds: [...ids], cursor: profile.historyId };
  }

  async function inboxPage(access: MailboxAccess, params: { since: Date; pageToken: string | null }) {
    const cursor = params.pageToken === null ? (await getProfile(access.accessToken, call)).historyId : null;
    const q = `in:inbox after:${Math.floor(params.since.getTime() / 1000)}`;
    const res = await listMessages(
      access.accessToken,
      { q, pageToken: params.pageToken ?? undefined, maxResults: PAGE_SIZE },
      call,
    );
    return {
      messageIds: (res.messages ?? []).map((m) => m.id),
      nextPageToken: res.nextPageToken ?? null,
      cursor,
    };
  }

  async function fetchMessage(access: MailboxAccess, providerMessageId: string) {
    const message = await getMessage(access.accessToken, providerMessageId, "full", call);
    return message === null ? null : gmailMessageOffThread(message, { mailboxAddress: access.address });
  }

  /**
   * messages.attachments.get for an `attachmentId`; a `part:<partId>` id (Gmail inlined the bytes in
   * the part's `data`) reads the message again and takes that part.
   */
  async function fetchAttachment(access: MailboxAccess, providerMessageId: string, meta: AttachmentMeta) {
    const id = meta.providerAttachmentId;
    if (id === null) return null;
    if (id.startsWith("part:")) {
      const message = await getMessage(access.accessToken, providerMessageId, "full", call);
      const data = findPart(message?.payload, id.slice("part:".length))?.body?.data;
      return data === undefined ? null : new Uint8Array(Buffer.from(data, "base64url"));
    }
    const body = await getAttachment(access.accessToken, providerMessageId, id, call);
    return body === null ? null : new Uint8Array(Buffer.from(body.data, "base64url"));
  }

  /**
   * The id of one of our labels: from the mailbox's stored ids, else from labels.list (once per
   * call, and only the names we apply are kept), else created. Two workers creating it at once: the
   * loser's labels.create answers 409 "Label name exists or conflicts" and it lists again.
   */
  async function labelIdFor(
    access: MailboxAccess,
    name: string,
    labels: LabelIds,
    listed: { done: boolean },
  ) {
    const key = name.toLowerCase();
    const known = labels.get(key);
    if (known) return known;
    const find = async () => {
      listed.done = true;
      const found = (await listLabels(access.accessToken, call)).find((l) => l.name.toLowerCase() === key);
      if (found) labels.set(key, found.id);
      return found?.id;
    };
    if (!listed.done) {
      const id = await find();
      if (id) return id;
    }
    try {
      const created = await createLabel(access.accessToken, name, call);
      labels.set(key, created.id);
      return created.id;
    } catch (error) {
      if (!(error instanceof ProviderRequestError && error.status === 409)) throw error;
      const id = await find();
      if (!id) throw error;
      return id;
    }
  }

  /**
   * One messages.modify for all actions. Returns machine strings: `label:<name>`, `mark_read`,
   * `archive`. A label id that came from `labels` may be one the user deleted since: Gmail then
   * refuses the modify with 400 invalidArgument "Invalid label: <id>" (the answer quoted in
   * googleapis/google-api-php-client#1254; labels.get would say 404 notFound). The stored ids of
   * this call are dropped, looked up or created again, and the modify retried once.
   */
  async function applyActions(
    access: MailboxAccess,
    providerMessageId: string,
    actions: AutoAction[],
    labels: LabelIds = new Map(),
    retried = false,
  ): Promise<string[]> {
    const add: string[] = [];
    const remove = new Set<string>();
    const done: string[] = [];
    const listed = { done: false };
    const fromStore: string[] = [];
    for (const action of actions) {
      if (action.kind === "label") {
        const name = action.name.startsWith(GMAIL_LABEL_PREFIX)
          ? action.name
          : `${GMAIL_LABEL_PREFIX}${action.name}`;
        if (labels.has(name.toLowerCase())) fromStore.push(name.toLowerCase());
        add.push(await labelIdFor(access, name, labels, listed));
        done.push(`label:${name}`);
      } else if (action.kind === "mark_read") {
        remove.add("UNREAD");
        done.push("mark_read");
      } else {
        remove.add("INBOX");
        done.push("archive");
      }
    }
    if (done.length === 0) return [];
    try {
      const modified = await modifyMessage(
        access.accessToken,
        providerMessageId,
        { addLabelIds: add, removeLabelIds: [...remove] },
        call,
      );
      return modified === null ? [] : done;
    } catch (error) {
      const staleLabel =
        error instanceof ProviderRequestError && error.status === 400 && fromStore.length > 0;
      if (!staleLabel || retried) throw error;
      for (const key of fromStore) labels.delete(key);
      return applyActions(access, providerMessageId, actions, labels, true);
    }
  }

  /** users.watch on INBOX; if another push client holds the mailbox, users.stop and watch again. */
  async function startWatch(access: MailboxAccess): Promise<WatchState> {
    const params = {
      topicName: options.topicName,
      labelIds: ["INBOX"],
      labelFilterBehavior: "include" as const,
    };
    let res: Awaited<ReturnType<typeof watch>>;
    try {
      res = await watch(access.accessToken, params, call);
    } catch (error) {
      if (!(error instanceof WatchConflictError)) throw error;
      await stop(access.accessToken, call);
      res = await watch(access.accessToken, params, call);
    }
    return { id: null, expiresAt: res.expiration, clientState: null, cursor: res.historyId };
  }

  return {
    kind: "gmail",
    listChanges,
    recentInbox,
    inboxPage,
    fetchMessage,
    fetchAttachment,
    applyActions: (access, id, actions, labels) => applyActions(access, id, actions, labels),
    watch: (access) => startWatch(access),
    stopWatch: async (access) => stop(access.accessToken, call),
    listSent: (access, params) => listGmailSent(access.accessToken, params, call),

    /** One users.messages.send in the email's thread; the From is the mailbox, as Gmail sets it anyway. */
    async sendReply(access, reply) {
      const raw = replyMime(reply, access.address, new Date(), `${crypto.randomUUID()}@fluxasync.reply`);
      const sent = await sendMessage(access.accessToken, { raw, threadId: reply.threadId }, call);
      return sent ? { providerMessageId: sent.id } : null;
    },
  };
}
