import { z } from "zod";
import { addressList } from "@/lib/mail/address-list";
import { CursorExpiredError } from "@/lib/mail/errors";
import { getProfile, listHistory, listMessages } from "@/lib/mail/gmail/api";
import { type GmailCallOptions, gmailRequest, isNotFound } from "@/lib/mail/gmail/api-request";
import { gmailMessageSchema } from "@/lib/mail/gmail/api-schemas";
import { maxHistoryId } from "@/lib/mail/gmail/history-id";
import { partHeaders } from "@/lib/mail/gmail/mime-parts";
import type { SentBatch, SentParams } from "@/lib/mail/provider";
import type { SentMail } from "@/lib/relationships/sent-mail";

/*
 * The owner's Sent folder, metadata only, for the relationship store. Backfill: users.messages.list
 * with labelIds=SENT and `after:` (newest first, one page per step), each message read with
 * format=metadata and only the To/Cc/Bcc/Message-ID/Date headers (messages.get costs the same
 * 5 units whatever the format, but carries no body this way). Then incremental: users.history.list
 * from the historyId taken when the backfill started, restricted to labelId=SENT, so nothing sent
 * meanwhile is missed. The cursor is our own JSON, opaque to the caller.
 */

const cursorSchema = z.discriminatedUnion("phase", [
  z.object({
    phase: z.literal("backfill"),
    pageToken: z.string().nullable(),
    read: z.number(),
    historyId: z.string(),
    since: z.number(),
  }),
  z.object({ phase: z.literal("incremental"), historyId: z.string() }),
]);
type Cursor = z.infer<typeof cursorSchema>;

const METADATA_HEADERS = ["To", "Cc", "Bcc", "Message-ID", "Date"];
/** Metadata reads in flight at once: well under Gmail's per-user concurrency limits. */
const CONCURRENCY = 5;

function parseCursor(raw: string | null): Cursor | null {
  if (!raw) return null;
  const parsed = cursorSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}

async function readMetadata(token: string, ids: string[], call: GmailCallOptions): Promise<SentMail[]> {
  const out: SentMail[] = [];
  for (let i = 0; i < ids.length; i += CONCURRENCY) {
    const batch = await Promise.all(
      ids.slice(i, i + CONCURRENCY).map((id) =>
        gmailRequest(
          token,
          "messages.get",
          {
            verb: "GET",
            path: `/messages/${encodeURIComponent(id)}`,
            query: { format: "metadata", metadataHeaders: METADATA_HEADERS },
          },
          gmailMessageSchema,
          call,
        ).catch((error: unknown) => {
          // Deleted between the listing and the read: nothing to learn from it.
          if (isNotFound(error)) return null;
          throw error;
        }),
      ),
    );
    for (const m of batch) {
      if (!m || (m.labelIds && !m.labelIds.includes("SENT")) || m.labelIds?.includes("DRAFT")) continue;
      const h = partHeaders(m.payload ?? { mimeType: "text/plain" });
      const date = Date.parse(h.get("date") ?? "");
      out.push({
        providerMessageId: m.id,
        recipients: ["to", "cc", "bcc"].flatMap((name) => addressList(h.get(name))),
        internetMessageId: h.get("message-id")?.trim() || null,
        sentAt: new Date(Number.isNaN(date) ? Number(m.internalDate ?? 0) : date).toISOString(),
      });
    }
  }
  return out;
}

export async function listGmailSent(
  token: string,
  params: SentParams,
  call: GmailCallOptions,
): Promise<SentBatch> {
  let cursor = parseCursor(params.cursor);
  if (!cursor) {
    const { historyId } = await getProfile(token, call);
    cursor = {
      phase: "backfill",
      pageToken: null,
      read: 0,
      historyId,
      since: Math.floor(params.since.getTime() / 1000),
    };
  }
  if (cursor.phase === "backfill") {
    const room = Math.min(params.maxMessages, params.backfillLimit - cursor.read);
    const page =
      room > 0
        ? await listMessages(
            token,
            {
              labelIds: ["SENT"],
              q: `after:${cursor.since}`,
              maxResults: Math.min(100, room),
              ...(cursor.pageToken ? { pageToken: cursor.pageToken } : {}),
            },
            call,
          )
        : { messages: [], nextPageToken: undefined };
    const mails = await readMetadata(
      token,
      (page.messages ?? []).map((m) => m.id),
      call,
    );
    const read = cursor.read + (page.messages ?? []).length;
    const more = page.nextPageToken !== undefined && read < params.backfillLimit;
    const next: Cursor = more
      ? { ...cursor, pageToken: page.nextPageToken ?? null, read }
      : { phase: "incremental", historyId: cursor.historyId };
    return { mails, cursor: JSON.stringify(next), phase: next.phase };
  }

  const ids = new Set<string>();
  let seen = cursor.historyId;
  let pageToken: string | undefined;
  try {
    for (let page = 0; page < 20; page++) {
      const res = await listHistory(
        token,
        {
          startHistoryId: cursor.historyId,
          historyTypes: "messageAdded",
          labelId: "SENT",
          pageToken,
          maxResults: 500,
        },
        call,
      );
      seen = maxHistoryId(seen, res.historyId);
      for (const record of res.history ?? [])
        for (const added of record.messagesAdded ?? [])
          if (!added.message.labelIds || added.message.labelIds.includes("SENT")) ids.add(added.message.id);
      pageToken = res.nextPageToken;
      if (!pageToken) break;
    }
  } catch (error) {
    if (error instanceof CursorExpiredError) return { mails: [], cursor: null, phase: "backfill" };
    throw error;
  }
  const mails = await readMetadata(token, [...ids], call);
  return { mails, cursor: JSON.stringify({ phase: "incremental", historyId: seen }), phase: "incremental" };
}
