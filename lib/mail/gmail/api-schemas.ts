import { z } from "zod";
import { historyIdSchema } from "@/lib/mail/gmail/history-id";

/** Gmail API resources, as documented (users.messages, users.history, users.labels, users.watch). */

/** int64 fields arrive as JSON strings; accept numbers too. */
const int64 = z.union([z.string().regex(/^-?\d+$/), z.number().int()]).transform((v) => Number(v));

export const gmailHeaderSchema = z.object({ name: z.string(), value: z.string() });

export const gmailMessagePartSchema = z.object({
  partId: z.string().optional(),
  mimeType: z.string().default("application/octet-stream"),
  filename: z.string().optional(),
  headers: z.array(gmailHeaderSchema).optional(),
  body: z
    .object({
      size: z.number().int().nonnegative().optional(),
      /** base64url bytes of the part, transfer encoding already undone (charset unchanged). */
      data: z.string().optional(),
      /** Set instead of `data` for attachments (and some large bodies). */
      attachmentId: z.string().optional(),
    })
    .optional(),
  get parts() {
    return z.array(gmailMessagePartSchema).optional();
  },
});
export type GmailMessagePart = z.infer<typeof gmailMessagePartSchema>;

export const gmailMessageSchema = z.object({
  id: z.string().min(1),
  threadId: z.string().optional(),
  labelIds: z.array(z.string()).optional(),
  snippet: z.string().optional(),
  historyId: z.string().optional(),
  /** Epoch ms Gmail received the message. */
  internalDate: int64.optional(),
  sizeEstimate: z.number().optional(),
  payload: gmailMessagePartSchema.optional(),
});
export type GmailMessage = z.infer<typeof gmailMessageSchema>;

/** users.messages.attachments.get answers a MessagePartBody: the bytes as base64url in `data`. */
export const gmailAttachmentSchema = z.object({
  attachmentId: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  data: z.string(),
});
export type GmailAttachment = z.infer<typeof gmailAttachmentSchema>;

const messageRefSchema = z.object({ id: z.string().min(1), threadId: z.string().optional() });

export const gmailProfileSchema = z.object({
  emailAddress: z.string(),
  messagesTotal: z.number().int().optional(),
  threadsTotal: z.number().int().optional(),
  historyId: historyIdSchema,
});
export type GmailProfile = z.infer<typeof gmailProfileSchema>;

export const gmailWatchResponseSchema = z.object({
  historyId: historyIdSchema,
  /** Epoch ms the watch stops publishing unless renewed. */
  expiration: int64,
});
export type GmailWatchResponse = z.infer<typeof gmailWatchResponseSchema>;

export const gmailHistoryListSchema = z.object({
  history: z
    .array(
      z.object({
        id: historyIdSchema,
        messages: z.array(messageRefSchema).optional(),
        messagesAdded: z
          .array(z.object({ message: messageRefSchema.extend({ labelIds: z.array(z.string()).optional() }) }))
          .optional(),
      }),
    )
    .optional(),
  nextPageToken: z.string().optional(),
  /** The mailbox's current history id when this page was produced. */
  historyId: historyIdSchema,
});
export type GmailHistoryList = z.infer<typeof gmailHistoryListSchema>;

export const gmailMessageListSchema = z.object({
  messages: z.array(messageRefSchema).optional(),
  nextPageToken: z.string().optional(),
  resultSizeEstimate: z.number().optional(),
});
export type GmailMessageList = z.infer<typeof gmailMessageListSchema>;

export const gmailLabelSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  type: z.string().optional(),
  messageListVisibility: z.string().optional(),
  labelListVisibility: z.string().optional(),
});
export type GmailLabel = z.infer<typeof gmailLabelSchema>;

export const gmailLabelListSchema = z.object({ labels: z.array(gmailLabelSchema).default([]) });

/** Google's JSON error body (`errors[].reason` carries rateLimitExceeded and friends). */
export const googleErrorSchema = z.object({
  error: z.object({
    code: z.number().int(),
    message: z.string().default(""),
    status: z.string().optional(),
    errors: z
      .array(
        z.object({
          reason: z.string().optional(),
          domain: z.string().optional(),
          message: z.string().optional(),
        }),
      )
      .optional(),
    details: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
});
