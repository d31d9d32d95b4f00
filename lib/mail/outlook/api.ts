import { z } from "zod";
import { ProviderRequestError } from "@/lib/mail/errors";
import {
  GRAPH_BASE,
  type GraphCallOptions,
  GraphHttpError,
  graphBytes,
  graphRequest,
} from "@/lib/mail/outlook/graph-client";
import { GRAPH_MESSAGE_SELECT, type GraphMessage, graphMessageSchema } from "@/lib/mail/outlook/transform";

function messageUrl(id: string, suffix = ""): string {
  return `${GRAPH_BASE}/me/messages/${encodeURIComponent(id)}${suffix}`;
}

/**
 * A message call that passes 404 through: a message deleted (or moved out of reach) meanwhile is
 * an answer, not a failure — null instead of the result. Other errors propagate.
 */
async function unlessGone<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof GraphHttpError) return null;
    throw error;
  }
}

/**
 * One message with what the pipeline reads: headers, HTML body (converted to visible text by the
 * transform, so hidden text can be stripped) and attachment metadata only — `$select` inside the
 * expand keeps `contentBytes` out of the answer. Null when the message no longer exists.
 */
export async function getMessage(
  token: string,
  id: string,
  options: GraphCallOptions = {},
): Promise<GraphMessage | null> {
  const params = new URLSearchParams({
    $select: GRAPH_MESSAGE_SELECT.join(","),
    $expand: "attachments($select=id,name,contentType,size,isInline)",
  });
  return unlessGone(
    graphRequest(
      token,
      {
        operation: "messages.get",
        method: "GET",
        url: `${messageUrl(id)}?${params.toString()}`,
        schema: graphMessageSchema,
        passthrough: [404],
      },
      { ...options, prefer: ['outlook.body-content-type="html"'] },
    ),
  );
}

/**
 * Below this size a file attachment is read as JSON `contentBytes` (one call that also confirms its
 * `@odata.type`); above it as raw `/$value`, which skips base64's third more bytes and a large JSON
 * string. 3 MB is the size Graph's "attach files" guide sets for single-request attachments.
 */
export const GRAPH_CONTENT_BYTES_MAX = 3 * 1024 * 1024;

const fileAttachmentSchema = z.object({
  "@odata.type": z.string(),
  contentBytes: z.string().nullish(),
});

/**
 * The bytes of one file attachment of a message: GET /me/messages/{id}/attachments/{id} for small
 * ones (base64 `contentBytes`), `/$value` for the others. Item and reference attachments have no
 * bytes of their own (Graph answers 405 on a reference's `$value`): the caller never asks for them.
 * Null when the message or the attachment is gone.
 */
export async function getAttachmentBytes(
  token: string,
  messageId: string,
  attachment: { id: string; size: number },
  options: GraphCallOptions = {},
): Promise<Uint8Array | null> {
  const url = `${messageUrl(messageId)}/attachments/${encodeURIComponent(attachment.id)}`;
  if (attachment.size > GRAPH_CONTENT_BYTES_MAX) {
    return unlessGone(
      graphBytes(
        token,
        { operation: "attachments.value", url: `${url}/$value`, passthrough: [404] },
        options,
      ),
    );
  }
  const body = await unlessGone(
    graphRequest(
      token,
      { operation: "attachments.get", method: "GET", url, schema: fileAttachmentSchema, passthrough: [404] },
      options,
    ),
  );
  if (body === null) return null;
  if (
    !body["@odata.type"].toLowerCase().endsWith("fileattachment") ||
    typeof body.contentBytes !== "string"
  ) {
    throw new ProviderRequestError("outlook", 200, "not_a_file_attachment");
  }
  return new Uint8Array(Buffer.from(body.contentBytes, "base64"));
}

/** The current categories of a message (to add ours without dropping the user's). Null when gone. */
export async function getMessageCategories(
  token: string,
  id: string,
  options: GraphCallOptions = {},
): Promise<string[] | null> {
  const body = await unlessGone(
    graphRequest(
      token,
      {
        operation: "messages.categories",
        method: "GET",
        url: `${messageUrl(id)}?$select=categories`,
        schema: z.object({ categories: z.array(z.string()).nullish() }),
        passthrough: [404],
      },
      options,
    ),
  );
  return body === null ? null : (body.categories ?? []);
}

/** PATCH writable message properties we use. Returns false when the message is gone. */
export async function patchMessage(
  token: string,
  id: string,
  patch: { categories?: string[]; isRead?: boolean },
  options: GraphCallOptions = {},
): Promise<boolean> {
  const done = await unlessGone(
    graphRequest(
      token,
      {
        operation: "messages.patch",
        method: "PATCH",
        url: messageUrl(id),
        body: patch,
        schema: null,
        passthrough: [404],
      },
      options,
    ).then(() => true),
  );
  return done === true;
}

/** Moves a message to a well-known folder. Returns false when the message is gone. */
export async function moveMessage(
  token: string,
  id: string,
  destination: "archive" | "junkemail",
  options: GraphCallOptions = {},
): Promise<boolean> {
  const done = await unlessGone(
    graphRequest(
      token,
      {
        operation: "messages.move",
        method: "POST",
        url: messageUrl(id, "/move"),
        body: { destinationId: destination },
        schema: null,
        passthrough: [404],
      },
      options,
    ).then(() => true),
  );
  return done === true;
}

/**
 * message: reply — sends the reply in the conversation and saves it in Sent Items (Graph's
 * "message: reply" page: delegated permission Mail.Send; JSON takes `comment` or `message.body`,
 * never both, else 400). `toRecipients` is given explicitly: without it Graph answers the
 * original's replyTo when it has one, and we send only to the address the user confirmed.
 * Graph answers 202 with no body. False when the message is gone; a 403 (Mail.Send not granted)
 * is returned as "forbidden" rather than taken for revoked mailbox access.
 */
export async function replyToMessage(
  token: string,
  id: string,
  reply: { to: { name: string | null; address: string }; html: string },
  options: GraphCallOptions = {},
): Promise<"sent" | "gone" | "forbidden"> {
  try {
    await graphRequest(
      token,
      {
        operation: "messages.reply",
        method: "POST",
        url: messageUrl(id, "/reply"),
        body: {
          message: {
            toRecipients: [
              {
                emailAddress: {
                  address: reply.to.address,
                  ...(reply.to.name ? { name: reply.to.name } : {}),
                },
              },
            ],
          },
          comment: reply.html,
        },
        schema: null,
        passthrough: [403, 404],
      },
      options,
    );
    return "sent";
  } catch (error) {
    if (error instanceof GraphHttpError) return error.status === 403 ? "forbidden" : "gone";
    throw error;
  }
}

/**
 * user: sendMail in MIME format — the automatic reply. Graph's JSON message cannot carry
 * `Auto-Submitted` (internetMessageHeaders takes only custom `x-` headers, "internetMessageHeaders"
 * on the message resource page), and RFC 3834 §5 wants it on every automatic response, so the
 * reply goes as the RFC 822 message we write (lib/replies/reply-mime.ts), with In-Reply-To and
 * References for the thread. Graph's "Send Outlook messages with MIME content" and user-sendmail
 * pages: POST /me/sendMail, `Content-Type: text/plain`, the MIME base64-encoded as the body,
 * delegated Mail.Send; 202 with no body, the message saved in Sent Items; malformed MIME is a 400.
 * A 403 (Mail.Send not granted) is "forbidden", not revoked mailbox access.
 */
export async function sendMimeMail(
  token: string,
  mime: string,
  options: GraphCallOptions = {},
): Promise<"sent" | "forbidden"> {
  try {
    await graphRequest(
      token,
      {
        operation: "sendMail",
        method: "POST",
        url: `${GRAPH_BASE}/me/sendMail`,
        mime: Buffer.from(mime, "utf8").toString("base64"),
        schema: null,
        passthrough: [403],
      },
      options,
    );
    return "sent";
  } catch (error) {
    if (error instanceof GraphHttpError && error.status === 403) return "forbidden";
    throw error;
  }
}
