import { randomBytes } from "node:crypto";
import { ProviderRequestError } from "@/lib/mail/errors";
import {
  createMasterCategory,
  getAttachmentBytes,
  getMessage,
  getMessageCategories,
  listMasterCategories,
  moveMessage,
  patchMessage,
} from "@/lib/mail/outlook/api";
import { delta } from "@/lib/mail/outlook/delta";
import type { GraphCallOptions, GraphMeter } from "@/lib/mail/outlook/graph-client";
import { listOutlookSent } from "@/lib/mail/outlook/sent";
import {
  createSubscription,
  deleteSubscription,
  renewSubscription,
  SubscriptionGoneError,
} from "@/lib/mail/outlook/subscriptions";
import { graphMessageToNormalized } from "@/lib/mail/outlook/transform";
import type { AutoAction, ChangeSet, MailboxAccess, MailProvider, WatchState } from "@/lib/mail/provider";

/**
 * Outlook category colours (Graph presets) matched on our label names, so "FluxAsync/Critique" is red
 * in every Outlook client like the 🔴 of the alert.
 */
export function categoryColor(name: string): string {
  const n = name.toLowerCase();
  if (/critique|critical/.test(n)) return "preset0"; // red
  if (/important/.test(n)) return "preset3"; // yellow
  if (/info/.test(n)) return "preset7"; // blue
  if (/spam/.test(n)) return "preset12"; // gray
  return "preset10"; // steel
}

/** 256-bit clientState: Graph echoes it in every notification; we compare it in constant time. */
export function newClientState(): string {
  return randomBytes(32).toString("base64url");
}

export function createOutlookProvider(config: {
  notificationUrl: string;
  /** Defaults to `notificationUrl` (one route handles both). */
  lifecycleNotificationUrl?: string;
  meter?: GraphMeter;
}): MailProvider {
  const call: GraphCallOptions = config.meter ? { meter: config.meter } : {};
  // Categories already known to exist, per mailbox: saves a list call on every labelled email.
  const ensured = new Set<string>();

  async function ensureCategory(access: MailboxAccess, name: string): Promise<void> {
    const key = `${access.mailboxId}\u0000${name}`;
    if (ensured.has(key)) return;
    const existing = await listMasterCategories(access.accessToken, call);
    if (!existing.some((c) => c.displayName.toLowerCase() === name.toLowerCase())) {
      await createMasterCategory(access.accessToken, { displayName: name, color: categoryColor(name) }, call);
    }
    ensured.add(key);
  }

  async function create(access: MailboxAccess): Promise<WatchState> {
    const clientState = newClientState();
    const sub = await createSubscription(
      access.accessToken,
      {
        notificationUrl: config.notificationUrl,
        lifecycleNotificationUrl: config.lifecycleNotificationUrl ?? config.notificationUrl,
        clientState,
      },
      call,
    );
    return { id: sub.id, expiresAt: sub.expiresAt, clientState, cursor: null };
  }

  return {
    kind: "outlook",

    listSent: (access, params) => listOutlookSent(access.accessToken, params, call),

    async listChanges(access, cursor): Promise<ChangeSet> {
      const result = await delta(access.accessToken, cursor, { since: new Date() }, call);
      if (result.kind === "expired") return result;
      return { kind: "changes", messageIds: result.entries.map((e) => e.id), cursor: result.deltaLink };
    },

    async recentInbox(access, { since, max }) {
      const result = await delta(access.accessToken, null, { since }, call);
      if (result.kind === "expired") throw new ProviderRequestError("outlook", 410, "fresh_delta_refused");
      const newestFirst = [...result.entries].sort(
        (a, b) => Date.parse(b.receivedDateTime ?? "") - Date.parse(a.receivedDateTime ?? "") || 0,
      );
      return {
        messageIds: newestFirst.slice(0, Math.max(0, max)).map((e) => e.id),
        cursor: result.deltaLink,
      };
    },

    async fetchMessage(access, providerMessageId) {
      const raw = await getMessage(access.accessToken, providerMessageId, call);
      return raw === null ? null : graphMessageToNormalized(raw, { mailboxAddress: access.address });
    },

    async fetchAttachment(access, providerMessageId, attachment) {
      if (attachment.providerAttachmentId === null || attachment.type !== "file") return null;
      return getAttachmentBytes(
        access.accessToken,
        providerMessageId,
        { id: attachment.providerAttachmentId, size: attachment.size },
        call,
      );
    },

    async applyActions(access, providerMessageId, actions: AutoAction[]) {
      const done: string[] = [];
      const labels = [...new Set(actions.flatMap((a) => (a.kind === "label" ? [a.name] : [])))];
      const markRead = actions.some((a) => a.kind === "mark_read");
      const patch: { categories?: string[]; isRead?: boolean } = {};
      if (labels.length > 0) {
        for (const name of labels) await ensureCategory(access, name);
        const current = await getMessageCategories(access.accessToken, providerMessageId, call);
        if (current === null) return done;
        const missing = labels.filter((l) => !current.includes(l));
        if (missing.length > 0) patch.categories = [...current, ...missing];
      }
      if (markRead) patch.isRead = true;
      if (Object.keys(patch).length > 0) {
        if (!(await patchMessage(access.accessToken, providerMessageId, patch, call))) return done;
      }
      done.push(...labels.map((l) => `label:${l}`));
      if (markRead) done.push("mark_read");
      if (actions.some((a) => a.kind === "archive")) {
        if (await moveMessage(access.accessToken, providerMessageId, "archive", call)) done.push("archive");
      }
      return done;
    },

    async watch(access, { previous }) {
      // Renewal keeps the subscription's clientState. Callers store only its hash, so they pass
      // `clientState: null`, and null in the result means "unchanged" (the stored hash stays valid).
      if (previous?.id) {
        try {
          const sub = await renewSubscription(access.accessToken, previous.id, {}, call);
          return {
            id: sub.id,
            expiresAt: sub.expiresAt,
            clientState: previous.clientState ?? null,
            cursor: null,
          };
        } catch (error) {
          if (!(error instanceof SubscriptionGoneError)) throw error;
        }
      }
      return create(access);
    },

    async stopWatch(access, state) {
      if (state?.id) await deleteSubscription(access.accessToken, state.id, call);
    },
  };
}
