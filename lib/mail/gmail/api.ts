import { z } from "zod";
import { CursorExpiredError } from "@/lib/mail/errors";
import { type GmailCallOptions, gmailRequest, isNotFound } from "@/lib/mail/gmail/api-request";
import {
  type GmailAttachment,
  type GmailHistoryList,
  type GmailLabel,
  type GmailMessage,
  type GmailMessageList,
  type GmailProfile,
  type GmailWatchResponse,
  gmailAttachmentSchema,
  gmailHistoryListSchema,
  gmailLabelListSchema,
  gmailLabelSchema,
  gmailMessageListSchema,
  gmailMessageSchema,
  gmailProfileSchema,
  gmailWatchResponseSchema,
} from "@/lib/mail/gmail/api-schemas";

/**
 * Thin Gmail REST client over fetch (users/me/...). No googleapis package: it keeps the serverless
 * bundle small and lets every call be metered in quota units. Errors: see api-request.ts.
 */

/**
 * users.watch: (re)starts push to the Pub/Sub topic; the same topic renews. `labelFilterBehavior`
 * takes "include" or "exclude", lower case (WatchRequest in the Gmail discovery document; it
 * replaces the deprecated `labelFilterAction`, which is ignored once it is set).
 */
export function watch(
  accessToken: string,
  params: { topicName: string; labelIds?: string[]; labelFilterBehavior?: "include" | "exclude" },
  options?: GmailCallOptions,
): Promise<GmailWatchResponse> {
  const body = {
    topicName: params.topicName,
    labelIds: params.labelIds ?? ["INBOX"],
    labelFilterBehavior: params.labelFilterBehavior ?? "include",
  };
  return gmailRequest(
    accessToken,
    "watch",
    { verb: "POST", path: "/watch", body },
    gmailWatchResponseSchema,
    options,
  );
}

/** users.stop: no more push for this mailbox. */
export async function stop(accessToken: string, options?: GmailCallOptions): Promise<void> {
  await gmailRequest(accessToken, "stop", { verb: "POST", path: "/stop" }, z.unknown(), options);
}

export function getProfile(accessToken: string, options?: GmailCallOptions): Promise<GmailProfile> {
  return gmailRequest(
    accessToken,
    "getProfile",
    { verb: "GET", path: "/profile" },
    gmailProfileSchema,
    options,
  );
}

/** One page of users.history.list. A start id Gmail no longer keeps (404) throws `CursorExpiredError`. */
export async function listHistory(
  accessToken: string,
  params: {
    startHistoryId: string;
    historyTypes?: "messageAdded" | "messageDeleted" | "labelAdded" | "labelRemoved";
    labelId?: string;
    pageToken?: string;
    maxResults?: number;
  },
  options?: GmailCallOptions,
): Promise<GmailHistoryList> {
  try {
    return await gmailRequest(
      accessToken,
      "history.list",
      { verb: "GET", path: "/history", query: { ...params } },
      gmailHistoryListSchema,
      options,
    );
  } catch (error) {
    if (isNotFound(error)) throw new CursorExpiredError("gmail");
    throw error;
  }
}

/** One page of users.messages.list (ids only, newest first). */
export function listMessages(
  accessToken: string,
  params: {
    q?: string;
    labelIds?: string[];
    pageToken?: string;
    maxResults?: number;
    includeSpamTrash?: boolean;
  },
  options?: GmailCallOptions,
): Promise<GmailMessageList> {
  const { includeSpamTrash, ...rest } = params;
  const query = {
    ...rest,
    includeSpamTrash: includeSpamTrash === undefined ? undefined : String(includeSpamTrash),
  };
  return gmailRequest(
    accessToken,
    "messages.list",
    { verb: "GET", path: "/messages", query },
    gmailMessageListSchema,
    options,
  );
}

/** users.messages.get; null when the message no longer exists (deleted before we fetched it). */
export async function getMessage(
  accessToken: string,
  id: string,
  format: "full" | "metadata" | "minimal" = "full",
  options?: GmailCallOptions,
): Promise<GmailMessage | null> {
  try {
    return await gmailRequest(
      accessToken,
      "messages.get",
      { verb: "GET", path: `/messages/${encodeURIComponent(id)}`, query: { format } },
      gmailMessageSchema,
      options,
    );
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** users.messages.attachments.get; null when the message or the attachment no longer exists. */
export async function getAttachment(
  accessToken: string,
  messageId: string,
  attachmentId: string,
  options?: GmailCallOptions,
): Promise<GmailAttachment | null> {
  const path = `/messages/${encodeURIComponent(messageId)}/attachments/${encodeURIComponent(attachmentId)}`;
  try {
    return await gmailRequest(
      accessToken,
      "messages.attachments.get",
      { verb: "GET", path },
      gmailAttachmentSchema,
      options,
    );
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** users.messages.modify; null when the message no longer exists. */
export async function modifyMessage(
  accessToken: string,
  id: string,
  params: { addLabelIds?: string[]; removeLabelIds?: string[] },
  options?: GmailCallOptions,
): Promise<GmailMessage | null> {
  const body = { addLabelIds: params.addLabelIds ?? [], removeLabelIds: params.removeLabelIds ?? [] };
  try {
    return await gmailRequest(
      accessToken,
      "messages.modify",
      { verb: "POST", path: `/messages/${encodeURIComponent(id)}/modify`, body },
      gmailMessageSchema,
      options,
    );
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export async function listLabels(accessToken: string, options?: GmailCallOptions): Promise<GmailLabel[]> {
  const list = await gmailRequest(
    accessToken,
    "labels.list",
    { verb: "GET", path: "/labels" },
    gmailLabelListSchema,
    options,
  );
  return list.labels;
}

/** users.labels.create, shown in the label list and on messages. A name that exists answers 409. */
export function createLabel(
  accessToken: string,
  name: string,
  options?: GmailCallOptions,
): Promise<GmailLabel> {
  const body = { name, labelListVisibility: "labelShow", messageListVisibility: "show" };
  return gmailRequest(
    accessToken,
    "labels.create",
    { verb: "POST", path: "/labels", body },
    gmailLabelSchema,
    options,
  );
}

/**
 * users.messages.send with the reply as `raw` (base64url RFC 822) and the thread it belongs to.
 * Gmail's threads guide: a message joins a thread when its `threadId` is given, its References
 * and In-Reply-To follow RFC 2822, and its Subject matches. Null when the thread is gone (404).
 */
export async function sendMessage(
  accessToken: string,
  params: { raw: string; threadId: string | null },
  options?: GmailCallOptions,
): Promise<{ id: string; threadId: string | null } | null> {
  const body = {
    raw: Buffer.from(params.raw, "utf8").toString("base64url"),
    ...(params.threadId ? { threadId: params.threadId } : {}),
  };
  try {
    return await gmailRequest(
      accessToken,
      "messages.send",
      { verb: "POST", path: "/messages/send", body },
      z.object({
        id: z.string().min(1),
        threadId: z
          .string()
          .nullish()
          .transform((v) => v ?? null),
      }),
      options,
    );
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
