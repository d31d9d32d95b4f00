import { randomBytes, randomUUID } from "node:crypto";
import { type HttpHandler, HttpResponse, http } from "msw";
import PostalMime from "postal-mime";
import { z } from "zod";
import {
  etag,
  type FakeMessage,
  type FakeUser,
  type FakeWorld,
  GRAPH,
  graphError,
  graphPreamble,
  type Mailbox,
  mailboxOf,
  opaque,
  recordChange,
  type StoredMessage,
} from "@/lib/testing/microsoft-fake-world";

/** Graph mail: inbox delta rounds, messages (get, patch, move), master categories. */

type DeltaState = {
  userOid: string;
  /** Well-known folder name the round tracks (inbox, sentitems). */
  folder: string;
  since: string | null;
  createdOnly: boolean;
  select: string[];
  /** Changes with a higher sequence are in the next round; -1 = initial round (full listing). */
  watermark: number;
  generation: number;
};
type Round = { entries: Record<string, unknown>[]; offset: number; state: DeltaState };

// Delta is per folder (learn.microsoft.com/graph/delta-query-messages): the inbox by name or id, and
// Sent Items by its well-known name (learn.microsoft.com/graph/api/resources/mailfolder).
const DELTA_PATH =
  /^https:\/\/graph\.microsoft\.com\/v1\.0\/me\/mailfolders(?:\/(inbox|sentitems)|\('([^']*)'\))\/messages\/delta$/i;
const SENT_LIST_PATH =
  /^https:\/\/graph\.microsoft\.com\/v1\.0\/me\/mailfolders(?:\/sentitems|\('sentitems'\))\/messages$/i;

/** The folder a delta URL names: a well-known name, or the inbox's id (what the delta links carry). */
function folderOf(url: URL): string {
  const m = DELTA_PATH.exec(`${url.origin}${url.pathname}`);
  return (m?.[1] ?? m?.[2] ?? "inbox").toLowerCase() === "sentitems" ? "sentitems" : "inbox";
}
const notFound = () =>
  graphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
const syncStateGone = () =>
  graphError(
    410,
    "SyncStateNotFound",
    "The sync state generation is not found; generation=149;[highest=157][157][155][156].",
  );

function project(m: FakeMessage, select: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    "@odata.type": "#microsoft.graph.message",
    "@odata.etag": etag(),
    id: m.id,
  };
  for (const field of select) if (field in m && field !== "attachments") out[field] = m[field];
  return out;
}

/** GET message honours `$select` and `$expand=attachments($select=…)` like Graph does. */
function messageJson(stored: StoredMessage, url: URL): Record<string, unknown> {
  const select =
    url.searchParams
      .get("$select")
      ?.split(",")
      .map((s) => s.trim()) ?? Object.keys(stored.message);
  const out = project(stored.message, select);
  const expand = url.searchParams.get("$expand");
  if (expand?.startsWith("attachments")) {
    const fields = /\$select=([^)]+)/.exec(expand)?.[1]?.split(",") ?? [
      "id",
      "name",
      "contentType",
      "size",
      "isInline",
      "contentBytes",
    ];
    const list = (stored.message.attachments as Record<string, unknown>[] | undefined) ?? [];
    out.attachments = list.map((a) =>
      Object.fromEntries([
        ["@odata.type", a["@odata.type"] ?? "#microsoft.graph.fileAttachment"],
        ...fields.filter((f) => f in a).map((f) => [f, a[f]]),
      ]),
    );
  }
  return out;
}

const ATTACHMENT_PATH =
  /^https:\/\/graph\.microsoft\.com\/v1\.0\/me\/messages\/([^/?]+)\/attachments\/([^/?]+)(\/\$value)?(?:\?.*)?$/;

/**
 * GET /me/messages/{id}/attachments/{id}[/$value], per Graph's "Get attachment" reference: the JSON
 * form carries `@odata.type` and, for a fileAttachment, base64 `contentBytes`; `$value` is the raw
 * file with its own content type (an itemAttachment's is MIME), and on a referenceAttachment
 * answers 405. An attachment the message does not have is 404 ErrorItemNotFound, like a message.
 */
function attachmentReply(stored: StoredMessage, attachmentId: string, raw: boolean): Response {
  const list = (stored.message.attachments as Record<string, unknown>[] | undefined) ?? [];
  const a = list.find((x) => x.id === attachmentId);
  if (!a) return notFound();
  const type = String(a["@odata.type"] ?? "#microsoft.graph.fileAttachment");
  if (!raw) return HttpResponse.json({ "@odata.type": type, ...a });
  if (type.endsWith("referenceAttachment")) {
    return graphError(405, "ErrorInvalidRequest", "The $value of a reference attachment cannot be read.");
  }
  const bytes = Buffer.from(String(a.contentBytes ?? ""), "base64");
  return new HttpResponse(bytes, {
    status: 200,
    headers: { "content-type": String(a.contentType ?? "application/octet-stream") },
  });
}

export function mailFake(world: FakeWorld) {
  const deltaTokens = new Map<string, DeltaState>();
  const rounds = new Map<string, Round>();

  function page(user: FakeUser, round: Round, pageSize: number) {
    const folder = round.state.folder === "inbox" ? user.inboxFolderId : round.state.folder;
    const base = `${GRAPH}/me/mailfolders('${folder}')/messages/delta`;
    const body: Record<string, unknown> = {
      "@odata.context": `${GRAPH}/$metadata#Collection(message)`,
      value: round.entries.slice(round.offset, round.offset + pageSize),
    };
    if (round.offset + pageSize < round.entries.length) {
      const skip = opaque("");
      rounds.set(skip, { ...round, offset: round.offset + pageSize });
      body["@odata.nextLink"] = `${base}?$skiptoken=${skip}`;
    } else {
      const token = opaque("");
      deltaTokens.set(token, round.state);
      body["@odata.deltaLink"] = `${base}?$deltatoken=${token}`;
    }
    return HttpResponse.json(body);
  }

  function startRound(mb: Mailbox, st: DeltaState, pageSize: number) {
    const { quirks } = world.settings;
    const entries: Record<string, unknown>[] = [];
    const inRange = (s: StoredMessage) =>
      !s.deleted && s.folder === st.folder && (st.since === null || s.message.receivedDateTime >= st.since);
    if (st.watermark < 0) {
      const list = [...mb.messages.values()].filter(inRange);
      list.sort((a, b) => b.message.receivedDateTime.localeCompare(a.message.receivedDateTime));
      for (const s of list) entries.push(project(s.message, st.select));
    } else {
      const emitted = new Set<string>();
      for (const change of mb.changes.filter((c) => c.seq > st.watermark)) {
        const stored = mb.messages.get(change.id);
        if (change.kind === "removed") {
          if (!st.createdOnly && !emitted.has(change.id)) {
            entries.push({
              "@odata.type": "#microsoft.graph.message",
              id: change.id,
              "@removed": { reason: "deleted" },
            });
          }
        } else if (
          stored &&
          inRange(stored) &&
          (change.kind === "created" || !st.createdOnly || quirks.ignoreChangeTypeFilter)
        ) {
          // Graph coalesces an item's changes within a round, unless it is being quirky.
          if (emitted.has(change.id) && !quirks.ignoreChangeTypeFilter) continue;
          entries.push(project(stored.message, st.select));
        }
        emitted.add(change.id);
      }
    }
    if (quirks.duplicateEntries)
      entries.push(...entries.filter((e) => !("@removed" in e)).map((e) => ({ ...e })));
    return page(
      mb.user,
      { entries, offset: 0, state: { ...st, watermark: world.seq, generation: mb.generation } },
      pageSize,
    );
  }

  const pageSizeOf = (request: Request) =>
    Number(
      /odata\.maxpagesize=(\d+)/i.exec(request.headers.get("prefer") ?? "")?.[1] ??
        world.settings.defaultPageSize,
    );

  async function withMessage(request: Request, params: Record<string, unknown>, name: string) {
    const mb = await graphPreamble(world, request, name);
    if (mb instanceof Response) return { response: mb } as const;
    const stored = mb.messages.get(String(params.id));
    if (!stored || stored.deleted) return { response: notFound() } as const;
    return { mb, stored } as const;
  }

  const handlers: HttpHandler[] = [
    http.get(DELTA_PATH, async ({ request }) => {
      const mb = await graphPreamble(world, request, "delta");
      if (mb instanceof Response) return mb;
      const url = new URL(request.url);
      const skip = url.searchParams.get("$skiptoken");
      const token = url.searchParams.get("$deltatoken");
      if (skip !== null) {
        const round = rounds.get(skip);
        if (!round || round.state.generation !== mb.generation) return syncStateGone();
        rounds.delete(skip);
        return page(mb.user, round, pageSizeOf(request));
      }
      if (token !== null) {
        const st = deltaTokens.get(token);
        if (!st || st.generation !== mb.generation || st.userOid !== mb.user.oid) return syncStateGone();
        return startRound(mb, st, pageSizeOf(request));
      }
      const since = /receivedDateTime\s+ge\s+(\S+)/i.exec(url.searchParams.get("$filter") ?? "")?.[1] ?? null;
      const select = (url.searchParams.get("$select") ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const createdOnly = url.searchParams.get("changeType") === "created";
      const st: DeltaState = {
        userOid: mb.user.oid,
        folder: folderOf(url),
        since,
        createdOnly,
        select,
        watermark: -1,
        generation: mb.generation,
      };
      return startRound(mb, st, pageSizeOf(request));
    }),

    // List of Sent Items: $select, $filter=sentDateTime ge …, $orderby=sentDateTime desc, $top and
    // @odata.nextLink paging (learn.microsoft.com/graph/api/user-list-messages; mailFolder resource).
    http.get(SENT_LIST_PATH, async ({ request }) => {
      const mb = await graphPreamble(world, request, "sent.list");
      if (mb instanceof Response) return mb;
      const url = new URL(request.url);
      const top = Number(url.searchParams.get("$top") ?? 10);
      if (!Number.isInteger(top) || top < 1 || top > 1000)
        return graphError(400, "ErrorInvalidUrlQuery", "The value of $top is invalid.");
      const since = /sentDateTime\s+ge\s+(\S+)/i.exec(url.searchParams.get("$filter") ?? "")?.[1] ?? null;
      const select = (url.searchParams.get("$select") ?? "")
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
      const skip = Number(url.searchParams.get("$skip") ?? 0);
      const list = [...mb.messages.values()]
        .filter((m) => !m.deleted && m.folder === "sentitems")
        .filter(
          (m) => since === null || String(m.message.sentDateTime ?? m.message.receivedDateTime) >= since,
        )
        .sort((a, b) =>
          String(b.message.sentDateTime ?? b.message.receivedDateTime).localeCompare(
            String(a.message.sentDateTime ?? a.message.receivedDateTime),
          ),
        );
      const slice = list.slice(skip, skip + top);
      const body: Record<string, unknown> = {
        "@odata.context": `${GRAPH}/$metadata#users('${mb.user.oid}')/mailFolders('sentitems')/messages`,
        value: slice.map((m) => project(m.message, select.length ? select : Object.keys(m.message))),
      };
      if (skip + top < list.length) {
        const next = new URL(url);
        next.searchParams.set("$skip", String(skip + top));
        body["@odata.nextLink"] = next.toString();
      }
      return HttpResponse.json(body);
    }),

    http.get(`${GRAPH}/me/messages/:id`, async ({ request, params }) => {
      const found = await withMessage(request, params, "messages.get");
      if ("response" in found) return found.response;
      return HttpResponse.json(messageJson(found.stored, new URL(request.url)));
    }),

    http.get(ATTACHMENT_PATH, async ({ request }) => {
      const [, messageId = "", attachmentId = "", raw] = ATTACHMENT_PATH.exec(request.url) ?? [];
      const id = decodeURIComponent(messageId);
      const name = raw ? "attachments.value" : "attachments.get";
      const found = await withMessage(request, { id }, name);
      if ("response" in found) return found.response;
      return attachmentReply(found.stored, decodeURIComponent(attachmentId), Boolean(raw));
    }),

    http.patch(`${GRAPH}/me/messages/:id`, async ({ request, params }) => {
      const found = await withMessage(request, params, "messages.patch");
      if ("response" in found) return found.response;
      const patch = z
        .object({ categories: z.array(z.string()).optional(), isRead: z.boolean().optional() })
        .strict()
        .safeParse(await request.json());
      if (!patch.success)
        return graphError(400, "ErrorInvalidProperty", "Invalid property in the request body.");
      Object.assign(found.stored.message, patch.data);
      recordChange(world, found.mb, found.stored.message.id, "updated");
      return HttpResponse.json(project(found.stored.message, Object.keys(found.stored.message)));
    }),

    http.post(`${GRAPH}/me/messages/:id/move`, async ({ request, params }) => {
      const found = await withMessage(request, params, "messages.move");
      if ("response" in found) return found.response;
      const body = z.object({ destinationId: z.string().min(1) }).safeParse(await request.json());
      if (!body.success) return graphError(400, "ErrorInvalidIdMalformed", "Id is malformed.");
      const destination = body.data.destinationId.toLowerCase();
      if (found.stored.folder === "inbox" && destination !== "inbox")
        recordChange(world, found.mb, found.stored.message.id, "removed");
      found.stored.folder = destination;
      return HttpResponse.json(project(found.stored.message, Object.keys(found.stored.message)), {
        status: 201,
      });
    }),

    // message-reply.md: JSON takes `comment` or `message.body`, never both (400); Graph answers 202
    // with no body and files the reply in the conversation and in Sent Items.
    http.post(`${GRAPH}/me/messages/:id/reply`, async ({ request, params }) => {
      const found = await withMessage(request, params, "messages.reply");
      if ("response" in found) return found.response;
      const body = z
        .object({
          comment: z.string().optional(),
          message: z
            .object({
              toRecipients: z
                .array(
                  z.object({ emailAddress: z.object({ address: z.string(), name: z.string().optional() }) }),
                )
                .optional(),
              body: z.object({ contentType: z.string(), content: z.string() }).optional(),
            })
            .optional(),
        })
        .safeParse(await request.json().catch(() => null));
      if (!body.success) return graphError(400, "ErrorInvalidRequest", "The request body is invalid.");
      if (body.data.comment !== undefined && body.data.message?.body)
        return graphError(400, "ErrorInvalidRequest", "Specify either comment or message.body, not both.");
      const original = found.stored.message as { from?: { emailAddress?: { address?: string } } };
      const to = body.data.message?.toRecipients?.map((r) => r.emailAddress.address) ?? [
        original.from?.emailAddress?.address ?? "",
      ];
      found.mb.replies.push({
        messageId: found.stored.message.id,
        to,
        comment: body.data.comment ?? body.data.message?.body?.content ?? "",
      });
      return new HttpResponse(null, { status: 202 });
    }),

    // user-sendmail.md and outlook-send-mime-message.md: the MIME form is `Content-Type: text/plain`
    // with the message base64-encoded as the body; malformed base64 is a 400 "Invalid base64 string
    // for MIME content."; the MIME must carry its own To and Subject; 202 with no body. (The JSON
    // form is not faked: the app sends JSON replies through /reply.)
    http.post(`${GRAPH}/me/sendMail`, async ({ request }) => {
      const mb = await graphPreamble(world, request, "sendMail");
      if (mb instanceof Response) return mb;
      if (!/^text\/plain\b/i.test(request.headers.get("content-type") ?? ""))
        return graphError(
          400,
          "ErrorInvalidRequest",
          "microsoft-fake: only the MIME form of sendMail is faked.",
        );
      const body = (await request.text()).replace(/\r?\n/g, "");
      if (body === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0)
        return graphError(
          400,
          "ErrorMimeContentInvalidBase64String",
          "Invalid base64 string for MIME content.",
        );
      const mime = Buffer.from(body, "base64").toString("utf8");
      const parsed = await PostalMime.parse(mime).catch(() => null);
      if (!parsed || (parsed.to ?? []).length === 0 || parsed.subject === undefined)
        return graphError(400, "ErrorMimeContentInvalid", "The MIME content is invalid.");
      mb.sentMime.push(mime);
      return new HttpResponse(null, { status: 202 });
    }),

    http.get(`${GRAPH}/me/outlook/masterCategories`, async ({ request }) => {
      const mb = await graphPreamble(world, request, "categories.list");
      if (mb instanceof Response) return mb;
      return HttpResponse.json({
        "@odata.context": `${GRAPH}/$metadata#users('${mb.user.oid}')/outlook/masterCategories`,
        value: mb.categories,
      });
    }),

    http.post(`${GRAPH}/me/outlook/masterCategories`, async ({ request }) => {
      const mb = await graphPreamble(world, request, "categories.create");
      if (mb instanceof Response) return mb;
      const body = z
        .object({ displayName: z.string().min(1), color: z.string().regex(/^(?:none|preset\d{1,2})$/) })
        .safeParse(await request.json());
      if (!body.success)
        return graphError(400, "ErrorInvalidParameter", "The value of the parameter 'color' is invalid.");
      if (mb.categories.some((c) => c.displayName.toLowerCase() === body.data.displayName.toLowerCase())) {
        return graphError(409, "ErrorDuplicateCategory", "A category with the same name already exists.");
      }
      const category = { id: randomUUID(), ...body.data };
      mb.categories.push(category);
      return HttpResponse.json(category, { status: 201 });
    }),
  ];

  const stored = (user: FakeUser, id: string) => {
    const s = mailboxOf(world, user.oid).messages.get(id);
    if (!s) throw new Error("microsoft-fake: unknown message");
    return s;
  };

  return {
    handlers,
    /** A new email lands in the inbox (or `folder`). Returns the stored Graph JSON. */
    addMessage(user: FakeUser, message: Partial<FakeMessage>, folder = "inbox"): FakeMessage {
      const mb = mailboxOf(world, user.oid);
      const id = message.id ?? `AAkALg${randomBytes(30).toString("base64url")}`;
      const full: FakeMessage = {
        receivedDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        conversationId: `AAQkAD${randomBytes(12).toString("base64url")}`,
        isRead: false,
        isDraft: false,
        categories: [],
        replies: [],
        inferenceClassification: "focused",
        ...message,
        id,
      };
      mb.messages.set(id, { message: full, folder, deleted: false });
      recordChange(world, mb, id, "created");
      return full;
    },
    /** The user (or a rule) changes a message: an `updated` change. */
    updateMessage(user: FakeUser, id: string, patch: Record<string, unknown>): void {
      Object.assign(stored(user, id).message, patch);
      recordChange(world, mailboxOf(world, user.oid), id, "updated");
    },
    deleteMessage(user: FakeUser, id: string): void {
      stored(user, id).deleted = true;
      recordChange(world, mailboxOf(world, user.oid), id, "removed");
    },
    /** Stored state of a message (folder, categories, isRead…) for assertions; null when unknown. */
    message(user: FakeUser, id: string): (FakeMessage & { folder: string; deleted: boolean }) | null {
      const s = mailboxOf(world, user.oid).messages.get(id);
      return s ? { ...s.message, folder: s.folder, deleted: s.deleted } : null;
    },
    masterCategories: (user: FakeUser) => [...mailboxOf(world, user.oid).categories],
    /** Every delta and skip token of this user becomes unknown to Graph (410 SyncStateNotFound). */
    invalidateDeltaTokens(user: FakeUser): void {
      mailboxOf(world, user.oid).generation++;
    },
  };
}

/** A Graph fileAttachment as the fake stores it on a message (`addMessage(user, { attachments })`). */
export function graphFileAttachment(file: {
  name: string;
  contentType: string;
  content: Uint8Array;
  isInline?: boolean;
}): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.fileAttachment",
    id: `AAMkAGatt${randomBytes(12).toString("base64url")}=`,
    name: file.name,
    contentType: file.contentType,
    size: file.content.byteLength,
    isInline: file.isInline ?? false,
    contentBytes: Buffer.from(file.content).toString("base64"),
  };
}
