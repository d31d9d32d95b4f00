import { z } from "zod";
import { ProviderRequestError } from "@/lib/mail/errors";
import {
  GRAPH_BASE,
  type GraphCallOptions,
  GraphHttpError,
  graphRequest,
  isGraphUrl,
} from "@/lib/mail/outlook/graph-client";
import type { SentBatch, SentParams } from "@/lib/mail/provider";
import type { SentMail } from "@/lib/relationships/sent-mail";

/*
 * The owner's Sent Items, metadata only, for the relationship store. Backfill: list
 * `mailFolders('sentitems')/messages` with `$select` of the recipients, Message-ID and date only,
 * filtered on sentDateTime and newest first, following @odata.nextLink one page per step. Before
 * the first page a delta round is opened on the folder from "now" (`changeType=created`, so only
 * mail sent from then on), and its @odata.deltaLink kept: once the backfill ends, each step follows
 * that delta, which returns the mail sent meanwhile — no gap, no re-read of the history.
 * (Graph: message delta supports $select, $filter on receivedDateTime and changeType — "Get
 * incremental changes to messages in a folder", learn.microsoft.com/graph/delta-query-messages.)
 */

const SELECT = "id,toRecipients,ccRecipients,bccRecipients,internetMessageId,sentDateTime,receivedDateTime";
const EXPIRED = new Set(["syncstatenotfound", "resyncrequired", "syncstateinvalid"]);

const recipientSchema = z.object({ emailAddress: z.object({ address: z.string().nullish() }).nullish() });
const itemSchema = z.object({
  id: z.string(),
  toRecipients: z.array(recipientSchema).nullish(),
  ccRecipients: z.array(recipientSchema).nullish(),
  bccRecipients: z.array(recipientSchema).nullish(),
  internetMessageId: z.string().nullish(),
  sentDateTime: z.string().nullish(),
  receivedDateTime: z.string().nullish(),
  "@removed": z.object({}).passthrough().optional(),
});
const pageSchema = z.object({
  value: z.array(itemSchema),
  "@odata.nextLink": z.string().optional(),
  "@odata.deltaLink": z.string().optional(),
});

const cursorSchema = z.discriminatedUnion("phase", [
  z.object({
    phase: z.literal("backfill"),
    next: z.string().nullable(),
    read: z.number(),
    deltaLink: z.string(),
  }),
  z.object({ phase: z.literal("incremental"), deltaLink: z.string() }),
]);
type Cursor = z.infer<typeof cursorSchema>;

function toSent(item: z.infer<typeof itemSchema>): SentMail {
  const list = [...(item.toRecipients ?? []), ...(item.ccRecipients ?? []), ...(item.bccRecipients ?? [])];
  return {
    providerMessageId: item.id,
    recipients: list.map((r) => r.emailAddress?.address ?? "").filter(Boolean),
    internetMessageId: item.internetMessageId ?? null,
    sentAt: new Date(item.sentDateTime ?? item.receivedDateTime ?? 0).toISOString(),
  };
}

async function page(token: string, url: string, operation: string, call: GraphCallOptions, size: number) {
  return graphRequest(
    token,
    { operation, method: "GET", url, schema: pageSchema, passthrough: [400, 404, 410] },
    { ...call, prefer: [`odata.maxpagesize=${size}`] },
  );
}

/** Opens a delta round from now and follows it to its deltaLink (a round from now is near empty). */
async function freshDeltaLink(token: string, call: GraphCallOptions, now: Date): Promise<string> {
  const params = new URLSearchParams({
    changeType: "created",
    $select: SELECT,
    $filter: `receivedDateTime ge ${now.toISOString()}`,
  });
  let url = `${GRAPH_BASE}/me/mailFolders/sentitems/messages/delta?${params.toString()}`;
  for (let i = 0; i < 50; i++) {
    const body = await page(token, url, "sent.delta", call, 100);
    const done = body["@odata.deltaLink"];
    if (done && isGraphUrl(done)) return done;
    const next = body["@odata.nextLink"];
    if (!next || !isGraphUrl(next)) break;
    url = next;
  }
  throw new ProviderRequestError("outlook", 200, "delta_round_incomplete");
}

function parseCursor(raw: string | null): Cursor | null {
  if (!raw) return null;
  const parsed = cursorSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}

export async function listOutlookSent(
  token: string,
  params: SentParams,
  call: GraphCallOptions,
  now = new Date(),
): Promise<SentBatch> {
  let cursor = parseCursor(params.cursor);
  if (!cursor)
    cursor = { phase: "backfill", next: null, read: 0, deltaLink: await freshDeltaLink(token, call, now) };

  if (cursor.phase === "backfill") {
    const room = Math.min(params.maxMessages, params.backfillLimit - cursor.read);
    if (room <= 0)
      return {
        mails: [],
        cursor: JSON.stringify({ phase: "incremental", deltaLink: cursor.deltaLink }),
        phase: "incremental",
      };
    const query = new URLSearchParams({
      $select: SELECT,
      $filter: `sentDateTime ge ${params.since.toISOString()}`,
      $orderby: "sentDateTime desc",
      $top: String(Math.min(100, room)),
    });
    const url = cursor.next ?? `${GRAPH_BASE}/me/mailFolders/sentitems/messages?${query.toString()}`;
    let body: z.infer<typeof pageSchema>;
    try {
      body = await page(token, url, "sent.list", call, Math.min(100, room));
    } catch (error) {
      if (error instanceof GraphHttpError)
        throw new ProviderRequestError("outlook", error.status, error.graphCode);
      throw error;
    }
    const mails = body.value.map(toSent);
    const read = cursor.read + mails.length;
    const next = body["@odata.nextLink"];
    const more = next !== undefined && isGraphUrl(next) && read < params.backfillLimit;
    const after: Cursor = more
      ? { ...cursor, next: next ?? null, read }
      : { phase: "incremental", deltaLink: cursor.deltaLink };
    return { mails, cursor: JSON.stringify(after), phase: after.phase };
  }

  const mails: SentMail[] = [];
  let url = cursor.deltaLink;
  try {
    for (let i = 0; i < 50; i++) {
      const body = await page(token, url, "sent.delta", call, 100);
      for (const item of body.value) if (!item["@removed"]) mails.push(toSent(item));
      const done = body["@odata.deltaLink"];
      if (done && isGraphUrl(done))
        return {
          mails,
          cursor: JSON.stringify({ phase: "incremental", deltaLink: done }),
          phase: "incremental",
        };
      const next = body["@odata.nextLink"];
      if (!next || !isGraphUrl(next)) break;
      url = next;
    }
  } catch (error) {
    if (
      error instanceof GraphHttpError &&
      (error.status === 410 || EXPIRED.has(error.graphCode.toLowerCase()))
    )
      return { mails: [], cursor: null, phase: "backfill" };
    if (error instanceof GraphHttpError)
      throw new ProviderRequestError("outlook", error.status, error.graphCode);
    throw error;
  }
  throw new ProviderRequestError("outlook", 200, "delta_round_incomplete");
}
