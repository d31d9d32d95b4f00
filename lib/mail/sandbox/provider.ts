import { parseRawMessage } from "@/lib/mail/mime";
import { attachmentFromRawOffThread, parseRawMessageOffThread } from "@/lib/mail/mime-off-thread";
import type { MailProvider } from "@/lib/mail/provider";
import { SandboxSentFolder } from "@/lib/mail/sandbox/sent-folder";
import { SandboxStore } from "@/lib/mail/sandbox/store";

/**
 * The cursor a listing may advance to: the last number reached from `after` without a gap. A
 * directory read while deliveries are linked can miss one that lands just before another it
 * sees; stopping at the gap means the next sync picks it up instead of skipping past it (what is
 * listed beyond the gap is listed again then, and deduplicated by its analysis key).
 */
function contiguousEnd(entries: Array<{ seq: number }>, after: number): number {
  const present = new Set(entries.map((e) => e.seq));
  let end = after;
  while (present.has(end + 1)) end += 1;
  return end;
}

/** The sandbox provider: the MailProvider contract over a local folder of `.eml` files. */
export function createSandboxProvider(
  root: string,
): MailProvider & { store: SandboxStore; sent: SandboxSentFolder } {
  const store = new SandboxStore(root);
  const sent = new SandboxSentFolder(root);
  return {
    kind: "sandbox",
    store,
    sent,
    async listChanges(access, cursor) {
      const after = Number(cursor);
      if (!Number.isInteger(after) || after < 0) return { kind: "expired" };
      const entries = await store.list(access.mailboxId);
      const fresh = entries.filter((e) => e.seq > after);
      return {
        kind: "changes",
        messageIds: fresh.map((e) => e.id),
        cursor: String(contiguousEnd(entries, after)),
      };
    },
    async recentInbox(access, { max }) {
      const entries = await store.list(access.mailboxId);
      return { messageIds: entries.slice(-max).map((e) => e.id), cursor: String(contiguousEnd(entries, 0)) };
    },
    async inboxPage(access) {
      const entries = await store.list(access.mailboxId);
      return {
        messageIds: entries.map((e) => e.id).reverse(),
        nextPageToken: null,
        cursor: String(entries.at(-1)?.seq ?? 0),
      };
    },
    async fetchMessage(access, id) {
      const raw = await store.read(access.mailboxId, id);
      if (raw === null) return null;
      const flags = await store.flags(access.mailboxId, id);
      return parseRawMessageOffThread(raw, {
        provider: "sandbox",
        providerMessageId: id,
        mailboxAddress: access.address,
        labels: flags.labels,
      });
    },
    /** The `.eml` is parsed again (off the event loop when large) and the part at the metadata's index handed over. */
    async fetchAttachment(access, id, attachment) {
      const raw = await store.read(access.mailboxId, id);
      return raw === null ? null : attachmentFromRawOffThread(raw, attachment);
    },
    async applyActions(access, id, actions) {
      const flags = await store.flags(access.mailboxId, id);
      const done: string[] = [];
      for (const action of actions) {
        if (action.kind === "label") {
          const name = action.name.startsWith("FluxAsync/") ? action.name : `FluxAsync/${action.name}`;
          if (!flags.labels.includes(name)) flags.labels.push(name);
          done.push(`label:${name}`);
        } else if (action.kind === "mark_read") {
          flags.read = true;
          flags.labels = flags.labels.filter((l) => l !== "UNREAD");
          done.push("mark_read");
        } else {
          flags.archived = true;
          flags.labels = flags.labels.filter((l) => l !== "INBOX");
          done.push("archive");
        }
      }
      await store.setFlags(access.mailboxId, id, flags);
      return done;
    },
    async watch() {
      // Delivery into the sandbox enqueues a sync directly: push is always "on".
      return { id: null, expiresAt: Date.now() + 365 * 24 * 3600 * 1000, clientState: null, cursor: "0" };
    },
    async stopWatch() {},
    // The Sent folder is small and local: every step reads what follows the cursor (a sequence).
    async listSent(access, { cursor, maxMessages }) {
      const after = Number(cursor ?? 0) || 0;
      const entries = (await sent.list(access.mailboxId)).filter((e) => e.seq > after).slice(0, maxMessages);
      const mails = [];
      for (const entry of entries) {
        const msg = await parseRawMessage(await sent.read(access.mailboxId, entry), {
          providerMessageId: entry.id,
        });
        mails.push({
          providerMessageId: entry.id,
          recipients: [...msg.to, ...msg.cc].map((a) => a.address),
          internetMessageId: msg.internetMessageId,
          sentAt: msg.date,
        });
      }
      return { mails, cursor: String(entries.at(-1)?.seq ?? after), phase: "incremental" };
    },
  };
}
