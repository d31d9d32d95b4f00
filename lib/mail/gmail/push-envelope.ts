import { z } from "zod";
import { historyIdSchema } from "@/lib/mail/gmail/history-id";

/** What Gmail publishes to the topic (the `data` of each Pub/Sub message, JSON before base64). */
export const gmailNotificationSchema = z.object({
  emailAddress: z.email().transform((v) => v.toLowerCase()),
  historyId: historyIdSchema,
});

/** Pub/Sub sends standard base64; accept base64url too (both alphabets, optional padding). */
const base64Json = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, "data must be base64")
  .transform((data, ctx) => {
    try {
      return JSON.parse(Buffer.from(data, "base64").toString("utf8")) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "data is not base64-encoded JSON" });
      return z.NEVER;
    }
  });

/**
 * The body of a Pub/Sub push request, parsed straight into the notice the webhook enqueues.
 * Pub/Sub sends both camelCase and snake_case copies of some fields; we read the camelCase ones.
 */
export const pubSubPushSchema = z
  .object({
    message: z.object({
      data: base64Json.pipe(gmailNotificationSchema),
      messageId: z.string().min(1),
      message_id: z.string().optional(),
      publishTime: z.string().min(1),
      attributes: z.record(z.string(), z.string()).optional(),
    }),
    subscription: z.string().min(1),
  })
  .transform(({ message, subscription }) => ({
    emailAddress: message.data.emailAddress,
    historyId: message.data.historyId,
    pubSubMessageId: message.messageId,
    publishTime: message.publishTime,
    subscription,
  }));
