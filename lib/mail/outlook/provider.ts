import { randomBytes } from "node:crypto";
import { MissingScopeError, ProviderRequestError } from "@/lib/mail/errors";
import { graphMessageOffThread } from "@/lib/mail/mime-off-thread";
import { getAttachmentBytes, getMessage, replyToMessage, sendMimeMail } from "@/lib/mail/outlook/api";
import { applyOutlookActions } from "@/lib/mail/outlook/auto-actions";
import { delta } from "@/lib/mail/outlook/delta";
import type { GraphCallOptions, GraphMeter } from "@/lib/mail/outlook/graph-client";
import { listOutlookSent } from "@/lib/mail/outlook/sent";
import {
  createSubscription,
  deleteSubscription,
  renewSubscription,
  SubscriptionGoneError,
} from "@/lib/mail/outlook/subscriptions";
import type { AutoAction, ChangeSet, MailboxAccess, MailProvider, WatchState } from "@/lib/mail/provider";
import { replyMime } from "@/lib/replies/reply-mime";

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

    /**
     * A confirmed reply: Graph's reply threads by itself (same conversation, In-Reply-To and
     * References set by Exchange). An automatic one must carry Auto-Submitted, which only a MIME
     * message can (see sendMimeMail): our MIME, threaded by its own In-Reply-To and References
     * (the caller has just read the original, so it exists). A 403 means Mail.Send was not
     * granted: a clear error, not a revoked mailbox.
     */
    async sendReply(access, reply) {
      if (reply.autoSubmitted) {
        const mime = replyMime(reply, access.address, new Date(), `${crypto.randomUUID()}@fluxasync.reply`);
        const sent = await sendMimeMail(access.accessToken, mime, call);
        if (sent === "forbidden") throw new MissingScopeError("outlook", "Mail.Send");
        return { providerMessageId: null };
      }
      const outcome = await replyToMessage(access.accessToken, reply.providerMessageId, reply, call);
      if (outcome === "forbidden") throw new MissingScopeError("outlook", "Mail.Send");
      return outcome === "gone" ? null : { providerMessageId: null };
    },

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

    /** Graph's delta over the window is one round (its pages are followed inside `delta`). */
    async inboxPage(access, { since }) {
      const result = await delta(access.accessToken, null, { since }, call);
      if (result.kind === "expired") throw new ProviderRequestError("outlook", 410, "fresh_delta_refused");
      return { messageIds: result.entries.map((e) => e.id), nextPageToken: null, cursor: result.deltaLink };
    },

    async fetchMessage(access, providerMessageId) {
      const raw = await getMessage(access.accessToken, providerMessageId, call);
      return raw === null ? null : graphMessageOffThread(raw, { mailboxAddress: access.address });
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

    applyActions: (access, providerMessageId, actions: AutoAction[]) =>
      applyOutlookActions(access.accessToken, providerMessageId, actions, call),

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
