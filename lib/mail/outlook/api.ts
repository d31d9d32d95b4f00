import { z } from "zod";
import {
  GRAPH_BASE,
  type GraphCallOptions,
  GraphHttpError,
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
    $expand: "attachments($select=name,contentType,size,isInline)",
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
