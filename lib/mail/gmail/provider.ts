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
  stop,
  watch,
} from "@/lib/mail/gmail/api";
import type { GmailCallOptions, GmailMeter } from "@/lib/mail/gmail/api-request";
import type { GmailMessagePart } from "@/lib/mail/gmail/api-schemas";
import { maxHistoryId } from "@/lib/mail/gmail/history-id";
import type { GmailCosts } from "@/lib/mail/gmail/quota";
import { listGmailSent } from "@/lib/mail/gmail/sent";
import { gmailMessageOffThread } from "@/lib/mail/mime-off-thread";
import type { AutoAction, ChangeSet, MailboxAccess, MailProvider, WatchState } from "@/lib/mail/provider";
import type { AttachmentMeta } from "@/lib/mail/types";

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
          }
        }
        pageToken = res.nextPageToken;
        if (pageToken === undefined) {
          return { kind: "changes", messageIds: [...ids], cursor: maxHistoryId(seen, firstPageHistoryId) };
        }
      }
    } catch (error) {
      if (error instanceof CursorExpiredError) return { kind: "expired" };
      throw error;
    }
    return { kind: "changes", messageIds: [...ids], cursor: seen };
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

  /** Label ids by lower-cased name (Gmail label names are unique regardless of case). */
  async function labelIdFor(access: MailboxAccess, name: string, cache: { labels?: Map<string, string> }) {
    const load = async () =>
      new Map((await listLabels(access.accessToken, call)).map((l) => [l.name.toLowerCase(), l.id]));
    cache.labels ??= await load();
    const known = cache.labels.get(name.toLowerCase());
    if (known) return known;
    try {
      const created = await createLabel(access.accessToken, name, call);
      cache.labels.set(name.toLowerCase(), created.id);
      return created.id;
    } catch (error) {
      // Another worker created it meanwhile (409 "Label name exists or conflicts").
      if (!(error instanceof ProviderRequestError && error.status === 409)) throw error;
      cache.labels = await load();
      const id = cache.labels.get(name.toLowerCase());
      if (!id) throw error;
      return id;
    }
  }

  /**
   * Label ids per mailbox, kept for the life of the process: without it every labelled email costs
   * a labels.list (a quota unit and a round trip on the alert's critical path). A label the user
   * deleted since makes messages.modify fail with 400: the cache is dropped and the call retried once.
   */
  const labelIds = new Map<string, Map<string, string>>();

  /** One messages.modify for all actions. Returns machine strings: `label:<name>`, `mark_read`, `archive`. */
  async function applyActions(
    access: MailboxAccess,
    providerMessageId: string,
    actions: AutoAction[],
    retried = false,
  ): Promise<string[]> {
    const add: string[] = [];
    const remove = new Set<string>();
    const done: string[] = [];
    const cache: { labels?: Map<string, string> } = { labels: labelIds.get(access.mailboxId) };
    const fromCache = cache.labels !== undefined;
    for (const action of actions) {
      if (action.kind === "label") {
        const name = action.name.startsWith(GMAIL_LABEL_PREFIX)
          ? action.name
          : `${GMAIL_LABEL_PREFIX}${action.name}`;
        add.push(await labelIdFor(access, name, cache));
        done.push(`label:${name}`);
      } else if (action.kind === "mark_read") {
        remove.add("UNREAD");
        done.push("mark_read");
      } else {
        remove.add("INBOX");
        done.push("archive");
      }
    }
    if (cache.labels) labelIds.set(access.mailboxId, cache.labels);
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
        error instanceof ProviderRequestError && error.status === 400 && fromCache && add.length > 0;
      if (!staleLabel || retried) throw error;
      labelIds.delete(access.mailboxId);
      return applyActions(access, providerMessageId, actions, true);
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
    applyActions,
    watch: (access) => startWatch(access),
    stopWatch: async (access) => stop(access.accessToken, call),
    listSent: (access, params) => listGmailSent(access.accessToken, params, call),
  };
}
