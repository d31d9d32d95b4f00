import { z } from "zod";
import { ProviderRequestError } from "@/lib/mail/errors";
import {
  GRAPH_BASE,
  type GraphCallOptions,
  GraphHttpError,
  graphRequest,
  isGraphUrl,
} from "@/lib/mail/outlook/graph-client";

/** Page size we ask for; Graph may send fewer. */
const PAGE_SIZE = 50;
/** A delta round that never ends is a bug (ours or Graph's); stop rather than loop forever. */
const MAX_PAGES = 200;

const deltaPageSchema = z.object({
  "@odata.nextLink": z.string().optional(),
  "@odata.deltaLink": z.string().optional(),
  value: z.array(
    z.object({
      id: z.string().min(1),
      receivedDateTime: z.string().nullish(),
      "@removed": z.object({ reason: z.string().optional() }).optional(),
    }),
  ),
});

export type DeltaEntry = { id: string; receivedDateTime: string | null };

export type DeltaResult =
  | {
      kind: "changes";
      /** Every created/updated entry of the round, in Graph's order, each id once. */
      entries: DeltaEntry[];
      /** The `@odata.deltaLink` that starts the next round. */
      deltaLink: string;
    }
  /** The stored link is no longer known to Graph (410 / SyncStateNotFound): start a fresh bounded round. */
  | { kind: "expired" };

const EXPIRED_CODES = new Set(["syncstatenotfound", "resyncrequired", "syncstateinvalid"]);

/**
 * The first URL of a fresh round on the inbox: only messages received since `since` (Graph caps a
 * filtered delta at 5,000), newest first, ids and dates only. `changeType=created` keeps read-flag and
 * category changes (including our own auto-actions) out of later rounds: only new inbox mail matters.
 */
export function initialDeltaUrl(since: Date): string {
  const params = new URLSearchParams({
    changeType: "created",
    $select: "id,receivedDateTime",
    $filter: `receivedDateTime ge ${since.toISOString()}`,
    $orderby: "receivedDateTime desc",
  });
  return `${GRAPH_BASE}/me/mailFolders/inbox/messages/delta?${params.toString()}`;
}

/**
 * One full delta round: from `deltaLink` (or a fresh round bounded by `since` when null), following
 * every `@odata.nextLink` until the `@odata.deltaLink`. `@removed` entries are skipped and ids are
 * deduplicated: Graph repeats entries within a round and sends created+updated pairs.
 */
export async function delta(
  token: string,
  deltaLink: string | null,
  params: { since: Date },
  options: GraphCallOptions = {},
): Promise<DeltaResult> {
  if (deltaLink !== null && !isGraphUrl(deltaLink)) return { kind: "expired" };
  let url = deltaLink ?? initialDeltaUrl(params.since);
  const seen = new Map<string, DeltaEntry>();
  for (let page = 0; page < MAX_PAGES; page++) {
    let body: z.infer<typeof deltaPageSchema>;
    try {
      body = await graphRequest(
        token,
        { operation: "delta", method: "GET", url, schema: deltaPageSchema, passthrough: [400, 404, 410] },
        { ...options, prefer: [`odata.maxpagesize=${PAGE_SIZE}`] },
      );
    } catch (error) {
      if (error instanceof GraphHttpError) {
        if (error.status === 410 || EXPIRED_CODES.has(error.graphCode.toLowerCase()))
          return { kind: "expired" };
        // A link Graph no longer recognises at all (404 / malformed token) is an expired cursor too.
        if (deltaLink !== null && url === deltaLink) return { kind: "expired" };
        throw new ProviderRequestError("outlook", error.status, error.graphCode);
      }
      throw error;
    }
    for (const item of body.value) {
      if (item["@removed"] || seen.has(item.id)) continue;
      seen.set(item.id, { id: item.id, receivedDateTime: item.receivedDateTime ?? null });
    }
    const next = body["@odata.nextLink"];
    const done = body["@odata.deltaLink"];
    if (done !== undefined) {
      if (!isGraphUrl(done)) break;
      return { kind: "changes", entries: [...seen.values()], deltaLink: done };
    }
    if (next === undefined || !isGraphUrl(next)) break;
    url = next;
  }
  throw new ProviderRequestError("outlook", 200, "delta_round_incomplete");
}
