import PostalMime from "postal-mime";
import { parseRawMessage } from "@/lib/mail/mime";
import type { MailProvider } from "@/lib/mail/provider";
import { SandboxStore } from "@/lib/mail/sandbox/store";

/** The sandbox provider: the MailProvider contract over a local folder of `.eml` files. */
export function createSandboxProvider(root: string): MailProvider & { store: SandboxStore } {
  const store = new SandboxStore(root);
  return {
    kind: "sandbox",
    store,
    async listChanges(access, cursor) {
      const after = Number(cursor);
      if (!Number.isInteger(after) || after < 0) return { kind: "expired" };
      const entries = await store.list(access.mailboxId);
      const fresh = entries.filter((e) => e.seq > after);
      return {
        kind: "changes",
        messageIds: fresh.map((e) => e.id),
        cursor: String(entries.at(-1)?.seq ?? after),
      };
    },
    async recentInbox(access, { max }) {
      const entries = await store.list(access.mailboxId);
      return { messageIds: entries.slice(-max).map((e) => e.id), cursor: String(entries.at(-1)?.seq ?? 0) };
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
      return parseRawMessage(raw, {
        provider: "sandbox",
        providerMessageId: id,
        mailboxAddress: access.address,
        labels: flags.labels,
      });
    },
    /** The `.eml` is parsed again and the part at the metadata's index handed over (same name and type). */
    async fetchAttachment(access, id, attachment) {
      const raw = await store.read(access.mailboxId, id);
      const index = Number(attachment.providerAttachmentId);
      if (raw === null || !Number.isInteger(index) || index < 0) return null;
      const email = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer" });
      const part = email.attachments[index];
      if (!part || part.filename !== attachment.filename || part.mimeType !== attachment.mimeType)
        return null;
      return typeof part.content === "string"
        ? new TextEncoder().encode(part.content)
        : new Uint8Array(part.content);
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
  };
}
