import type { GmailMessagePart } from "@/lib/mail/gmail/api-schemas";
import {
  attachmentBytes,
  buildPayload,
  type FakeMessageSpec,
  snippetOf,
} from "@/lib/testing/google-fake-mime";

export const SYSTEM_LABELS = [
  "INBOX",
  "SPAM",
  "TRASH",
  "UNREAD",
  "STARRED",
  "IMPORTANT",
  "SENT",
  "DRAFT",
  "CHAT",
  "CATEGORY_PERSONAL",
  "CATEGORY_SOCIAL",
  "CATEGORY_PROMOTIONS",
  "CATEGORY_UPDATES",
  "CATEGORY_FORUMS",
] as const;

export type StoredMessage = {
  id: string;
  threadId: string;
  labelIds: string[];
  internalDate: number;
  historyId: number;
  payload: GmailMessagePart;
  snippet: string;
  sizeEstimate: number;
  /** Attachment bytes by attachmentId (served by messages.attachments.get). */
  attachments: Map<string, Uint8Array>;
};

export type HistoryKind = "messageAdded" | "messageDeleted" | "labelAdded" | "labelRemoved";
export type HistoryRecord = {
  id: number;
  kind: HistoryKind;
  /** The message as it was when the change happened. */
  message: { id: string; threadId: string; labelIds: string[] };
  /** For label changes: the labels added or removed. */
  changed?: string[];
};

/**
 * One Gmail mailbox in memory: messages with labels, a history log whose ids increase with gaps
 * (as Gmail's do, so nothing may assume +1), and a retention horizon behind which a start id
 * answers 404 like Gmail does for expired history.
 */
export class FakeMailbox {
  readonly messages = new Map<string, StoredMessage>();
  readonly history: HistoryRecord[] = [];
  readonly userLabels = new Map<string, { id: string; name: string }>();
  watch: {
    topicName: string;
    labelIds: string[];
    labelFilterBehavior: string | null;
    expiration: number;
  } | null = null;
  /** When true, users.watch answers "Only one user push notification client…" until users.stop. */
  pushClientConflict = false;
  private current: number;
  private oldestRetained: number;
  private labelSeq = 0;

  constructor(
    readonly address: string,
    private readonly deps: { startHistoryId: number; now: () => number; newId: () => string },
  ) {
    this.current = deps.startHistoryId;
    this.oldestRetained = deps.startHistoryId;
  }

  /** The mailbox's current history id (what getProfile and watch return). */
  get historyId(): string {
    return String(this.current);
  }

  get oldestRetainedHistoryId(): string {
    return String(this.oldestRetained);
  }

  private record(kind: HistoryKind, message: StoredMessage, changed?: string[]): number {
    this.current += 1 + (this.history.length % 3);
    const entry = {
      id: this.current,
      kind,
      message: { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] },
      changed,
    };
    this.history.push(entry);
    message.historyId = this.current;
    return this.current;
  }

  /** Delivers a message (a messageAdded history record). Returns its Gmail id and the new history id. */
  addMessage(spec: FakeMessageSpec): { id: string; threadId: string; historyId: string } {
    const id = this.deps.newId();
    const receivedAt = spec.receivedAt ?? new Date(this.deps.now());
    const payload = buildPayload(spec, {
      mailbox: this.address,
      receivedAt,
      rfcMessageId: spec.messageId ?? `${id}@mail.fake.example`,
      attachmentId: (i) => `ANGjdJ_${id}_${i}`,
    });
    const bodySize = (spec.text?.length ?? 0) + (spec.html?.length ?? 0);
    const attachments = new Map(
      (spec.attachments ?? []).map((a, i) => [`ANGjdJ_${id}_${i}`, attachmentBytes(a)] as const),
    );
    const message: StoredMessage = {
      id,
      threadId: spec.threadId ?? id,
      labelIds: [...(spec.labels ?? ["INBOX", "UNREAD", "CATEGORY_PERSONAL"])],
      internalDate: receivedAt.getTime(),
      historyId: 0,
      payload,
      snippet: snippetOf(spec),
      sizeEstimate: 1200 + bodySize + [...attachments.values()].reduce((n, a) => n + a.byteLength, 0),
      attachments,
    };
    this.messages.set(id, message);
    const historyId = this.record("messageAdded", message);
    return { id, threadId: message.threadId, historyId: String(historyId) };
  }

  /** What users.messages.send received: the RFC 822 text and the thread Gmail filed it in (its own when null). */
  readonly sentReplies: Array<{ id: string; threadId: string; joinedThread: boolean; raw: string }> = [];

  recordSent(p: { raw: string; threadId: string | null }): { id: string; threadId: string } {
    const id = this.deps.newId();
    const threadId = p.threadId ?? id;
    this.sentReplies.push({ id, threadId, joinedThread: p.threadId !== null, raw: p.raw });
    return { id, threadId };
  }

  /** Permanently deletes a message (messages.get then answers 404). */
  deleteMessage(id: string): void {
    const message = this.messages.get(id);
    if (!message) return;
    this.messages.delete(id);
    this.record("messageDeleted", message);
  }

  /** Applies label changes like messages.modify; returns false when a label id does not exist. */
  modify(
    id: string,
    add: string[],
    remove: string[],
  ): StoredMessage | "not_found" | { invalidLabel: string } {
    const message = this.messages.get(id);
    if (!message) return "not_found";
    const invalid = [...add, ...remove].find((l) => !this.labelExists(l));
    if (invalid) return { invalidLabel: invalid };
    const added = add.filter((l) => !message.labelIds.includes(l));
    const removed = remove.filter((l) => message.labelIds.includes(l) && !add.includes(l));
    message.labelIds = [...message.labelIds.filter((l) => !removed.includes(l)), ...added];
    if (added.length > 0) this.record("labelAdded", message, added);
    if (removed.length > 0) this.record("labelRemoved", message, removed);
    return message;
  }

  /** Drops history before `historyId`: a start id older than that now answers 404. */
  expireHistoryBefore(historyId: string | number): void {
    this.oldestRetained = Number(historyId);
    for (let i = this.history.length - 1; i >= 0; i--) {
      if ((this.history[i]?.id ?? 0) < this.oldestRetained) this.history.splice(i, 1);
    }
  }

  /** Every history id handed out so far (any stored cursor) is now too old. */
  expireAllHistory(): void {
    this.current += 5;
    this.expireHistoryBefore(this.current);
  }

  labelExists(id: string): boolean {
    return (SYSTEM_LABELS as readonly string[]).includes(id) || this.userLabels.has(id);
  }

  /** Names of a message's labels (user labels by name), for assertions. */
  labelNames(messageId: string): string[] {
    const m = this.messages.get(messageId);
    return (m?.labelIds ?? []).map((l) => this.userLabels.get(l)?.name ?? l);
  }

  /** The user deletes a label in Gmail (messages lose it; its id becomes invalid). */
  deleteLabel(name: string): void {
    for (const [id, label] of this.userLabels) {
      if (label.name.toLowerCase() !== name.toLowerCase()) continue;
      this.userLabels.delete(id);
      for (const m of this.messages.values()) m.labelIds = m.labelIds.filter((l) => l !== id);
    }
  }

  /** Creates a user label; null when the name exists (case-insensitive, as Gmail). */
  createLabel(name: string): { id: string; name: string } | null {
    const lower = name.toLowerCase();
    const clash =
      [...this.userLabels.values()].some((l) => l.name.toLowerCase() === lower) ||
      SYSTEM_LABELS.some((l) => l.toLowerCase() === lower);
    if (clash) return null;
    const label = { id: `Label_${++this.labelSeq}`, name };
    this.userLabels.set(label.id, label);
    return label;
  }

  /**
   * History after `startHistoryId` (exclusive), filtered like history.list; "expired" when the
   * start id is older than what the mailbox retains.
   */
  historyAfter(
    startHistoryId: number,
    filter: { types: string[]; labelId?: string },
  ): HistoryRecord[] | "expired" {
    if (startHistoryId < this.oldestRetained) return "expired";
    return this.history.filter(
      (r) =>
        r.id > startHistoryId &&
        (filter.types.length === 0 || filter.types.includes(r.kind)) &&
        (filter.labelId === undefined || r.message.labelIds.includes(filter.labelId)),
    );
  }
}
