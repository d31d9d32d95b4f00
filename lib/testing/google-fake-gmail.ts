import { z } from "zod";
import type { GmailMethod } from "@/lib/mail/gmail/quota";
import {
  type FakeMailbox,
  type HistoryRecord,
  type StoredMessage,
  SYSTEM_LABELS,
} from "@/lib/testing/google-fake-mailbox";
import { searchMessages } from "@/lib/testing/google-fake-query";

export type Reply = { status: number; body: unknown; headers?: Record<string, string> };
export type FakeEndpoint = "token" | "revoke" | "certs" | GmailMethod;
export type FaultSpec = {
  status: number;
  /** How many consecutive calls fail (default 1). */
  times?: number;
  reason?: string;
  message?: string;
  /** `Retry-After` header, seconds (fractions allowed: Google front ends send them). */
  retryAfterSeconds?: number;
  /** A google.rpc.RetryInfo detail in the error body, as a Duration ("2.5s"). */
  retryDelay?: string;
};

/** Google's JSON error body, as the Gmail API sends it. */
export function googleError(code: number, message: string, status: string, reason: string): Reply {
  return {
    status: code,
    body: { error: { code, message, errors: [{ message, domain: "global", reason }], status } },
  };
}

const notFound = () => googleError(404, "Requested entity was not found.", "NOT_FOUND", "notFound");
const invalid = (message: string) => googleError(400, message, "INVALID_ARGUMENT", "invalidArgument");
const WEEK_MS = 7 * 24 * 3600 * 1000;
const ATTACHMENT_SCOPES = new Set([
  "https://mail.google.com/",
  "https://www.googleapis.com/auth/gmail.modify",
  "https://www.googleapis.com/auth/gmail.readonly",
  "https://www.googleapis.com/auth/gmail.addons.current.message.readonly",
  "https://www.googleapis.com/auth/gmail.addons.current.message.action",
]);

function page(url: URL): { max: number; offset: number } {
  const max = Math.min(500, Math.max(1, Number(url.searchParams.get("maxResults") ?? 100) || 100));
  const token = url.searchParams.get("pageToken");
  const offset = token ? Number(Buffer.from(token, "base64url").toString("utf8").replace(/^o:/, "")) : 0;
  return { max, offset: Number.isFinite(offset) ? offset : 0 };
}
const pageToken = (offset: number) => Buffer.from(`o:${offset}`).toString("base64url");

function renderMessage(m: StoredMessage, format: string) {
  const base = {
    id: m.id,
    threadId: m.threadId,
    labelIds: [...m.labelIds],
    snippet: m.snippet,
    sizeEstimate: m.sizeEstimate,
    historyId: String(m.historyId),
    internalDate: String(m.internalDate),
  };
  if (format === "minimal") return base;
  if (format === "metadata") {
    return {
      ...base,
      payload: {
        partId: "",
        mimeType: m.payload.mimeType,
        filename: "",
        headers: m.payload.headers,
        body: { size: 0 },
      },
    };
  }
  return { ...base, payload: m.payload };
}

const HISTORY_FIELD = {
  messageAdded: "messagesAdded",
  messageDeleted: "messagesDeleted",
  labelAdded: "labelsAdded",
  labelRemoved: "labelsRemoved",
} as const;

function renderHistory(r: HistoryRecord) {
  const entry = r.changed ? { message: r.message, labelIds: r.changed } : { message: r.message };
  return {
    id: String(r.id),
    messages: [{ id: r.message.id, threadId: r.message.threadId }],
    [HISTORY_FIELD[r.kind]]: [entry],
  };
}

const watchBody = z.object({
  topicName: z.string(),
  labelIds: z.array(z.string()).optional(),
  labelFilterBehavior: z.string().optional(),
});
const modifyBody = z.object({
  addLabelIds: z.array(z.string()).optional(),
  removeLabelIds: z.array(z.string()).optional(),
});
const labelBody = z.object({ name: z.string().trim().min(1) });
const sendBody = z.object({ raw: z.string().min(1), threadId: z.string().optional() });

/** RFC 2047 encoded words ("=?UTF-8?B?…?=", "=?UTF-8?Q?…?="), as Gmail reads a Subject to match a thread's. */
function decodeWords(value: string): string {
  const q = (text: string) =>
    text
      .replace(/_/g, " ")
      .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?[^?]+\?([BbQq])\?([^?]*)\?=/g, (_, enc: string, text: string) =>
      enc.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(q(text), "latin1").toString("utf8"),
    );
}

type Ctx = {
  mailbox: FakeMailbox;
  url: URL;
  body: unknown;
  id: string | undefined;
  attachmentId?: string;
  /** Scopes granted to the bearer token. */
  scopes: string[];
  now: number;
  topicName: string | undefined;
};

/** Gmail users.* methods over a fake mailbox; shapes follow the Gmail API reference. */
export const gmailRoutes: Record<GmailMethod, (ctx: Ctx) => Reply> = {
  getProfile: ({ mailbox }) => ({
    status: 200,
    body: {
      emailAddress: mailbox.address,
      messagesTotal: mailbox.messages.size,
      threadsTotal: mailbox.messages.size,
      historyId: mailbox.historyId,
    },
  }),

  watch: ({ mailbox, body, now, topicName }) => {
    const req = watchBody.safeParse(body);
    if (!req.success || !/^projects\/[^/]+\/topics\/[^/]+$/.test(req.data.topicName)) {
      return invalid("Invalid topicName does not match projects/*/topics/*");
    }
    if (topicName !== undefined && req.data.topicName !== topicName) {
      return googleError(
        403,
        `Error sending test message to Cloud PubSub ${req.data.topicName} : User not authorized to perform this action.`,
        "PERMISSION_DENIED",
        "forbidden",
      );
    }
    if (mailbox.pushClientConflict) {
      return invalid(
        "Only one user push notification client allowed per developer (call /stop then try again)",
      );
    }
    mailbox.watch = {
      topicName: req.data.topicName,
      labelIds: req.data.labelIds ?? [],
      labelFilterBehavior: req.data.labelFilterBehavior ?? null,
      expiration: now + WEEK_MS,
    };
    return {
      status: 200,
      body: { historyId: mailbox.historyId, expiration: String(mailbox.watch.expiration) },
    };
  },

  stop: ({ mailbox }) => {
    mailbox.watch = null;
    mailbox.pushClientConflict = false;
    return { status: 204, body: null };
  },

  "history.list": ({ mailbox, url }) => {
    const start = url.searchParams.get("startHistoryId") ?? "";
    if (!/^\d+$/.test(start)) return invalid("Invalid value at 'start_history_id'");
    const labelId = url.searchParams.get("labelId") ?? undefined;
    const records = mailbox.historyAfter(Number(start), {
      types: url.searchParams.getAll("historyTypes"),
      labelId,
    });
    if (records === "expired") return notFound();
    const { max, offset } = page(url);
    const slice = records.slice(offset, offset + max);
    return {
      status: 200,
      body: {
        ...(slice.length > 0 ? { history: slice.map(renderHistory) } : {}),
        ...(offset + max < records.length ? { nextPageToken: pageToken(offset + max) } : {}),
        historyId: mailbox.historyId,
      },
    };
  },

  "messages.list": ({ mailbox, url }) => {
    const found = searchMessages(mailbox, {
      q: url.searchParams.get("q") ?? undefined,
      labelIds: url.searchParams.getAll("labelIds"),
      includeSpamTrash: url.searchParams.get("includeSpamTrash") === "true",
    });
    if ("error" in found) return invalid(found.error);
    const { max, offset } = page(url);
    const slice = found.slice(offset, offset + max);
    return {
      status: 200,
      body: {
        ...(slice.length > 0 ? { messages: slice.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
        ...(offset + max < found.length ? { nextPageToken: pageToken(offset + max) } : {}),
        resultSizeEstimate: found.length,
      },
    };
  },

  "messages.get": ({ mailbox, url, id }) => {
    const m = mailbox.messages.get(id ?? "");
    return m ? { status: 200, body: renderMessage(m, url.searchParams.get("format") ?? "full") } : notFound();
  },

  // users.messages.attachments.get: the reference lists the scopes that may call it (mail.google.com,
  // gmail.modify, gmail.readonly, and the two add-on scopes) and answers a MessagePartBody with the
  // bytes base64url-encoded in `data` and `size` counting the decoded bytes. A token without one of
  // those scopes gets Google's 403 ACCESS_TOKEN_SCOPE_INSUFFICIENT (the shape of Google's AIP-193
  // errors); an unknown message 404 like messages.get; an attachment id that is not the message's,
  // the 400 "Invalid attachment token" clients report (the reference documents no error body).
  "messages.attachments.get": ({ mailbox, id, attachmentId, scopes }) => {
    if (!scopes.some((s) => ATTACHMENT_SCOPES.has(s))) {
      return googleError(
        403,
        "Request had insufficient authentication scopes.",
        "PERMISSION_DENIED",
        "insufficientPermissions",
      );
    }
    const m = mailbox.messages.get(id ?? "");
    if (!m) return notFound();
    const bytes = m.attachments.get(attachmentId ?? "");
    if (!bytes) return invalid("Invalid attachment token");
    return {
      status: 200,
      body: { size: bytes.byteLength, data: Buffer.from(bytes).toString("base64url") },
    };
  },

  /**
   * users.messages.modify. Gmail refuses a modify that neither adds nor removes a label (400
   * "No label add or removes specified", googleapis/google-api-nodejs-client#312) and one naming a
   * label id that does not exist — a label the user deleted — with 400 invalidArgument
   * "Invalid label: <id>" (googleapis/google-api-php-client#1254); a deleted message is 404.
   */
  "messages.modify": ({ mailbox, body, id }) => {
    const req = modifyBody.safeParse(body);
    if (!req.success) return invalid("Invalid JSON payload received.");
    if ((req.data.addLabelIds ?? []).length + (req.data.removeLabelIds ?? []).length === 0)
      return invalid("No label add or removes specified");
    const result = mailbox.modify(id ?? "", req.data.addLabelIds ?? [], req.data.removeLabelIds ?? []);
    if (result === "not_found") return notFound();
    if ("invalidLabel" in result) return invalid(`Invalid label: ${result.invalidLabel}`);
    return {
      status: 200,
      body: { id: result.id, threadId: result.threadId, labelIds: [...result.labelIds] },
    };
  },

  /**
   * users.messages.send: a Message with `raw` (base64url RFC 822) required, `threadId` optional.
   * Gmail's threads guide: the message joins `threadId` only when its References and In-Reply-To
   * name the thread's messages (RFC 2822) and its Subject matches; otherwise Gmail starts a new
   * thread. The fake records the reply, and into which thread it went, so a test sees what a user
   * would: a reply outside the conversation. An unknown threadId is 404 like messages.get.
   */
  "messages.send": ({ mailbox, body }) => {
    const req = sendBody.safeParse(body);
    if (!req.success) return invalid("Invalid JSON payload received. 'raw' is required.");
    const raw = Buffer.from(req.data.raw, "base64url").toString("utf8");
    const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
    const header = (name: string) => {
      const folded = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, "im").exec(head)?.[1];
      return folded === undefined ? null : decodeWords(folded.replace(/\r?\n[ \t]+/g, " ").trim());
    };
    if (!header("To")) return invalid("Invalid To header");
    const threadMessages = req.data.threadId
      ? [...mailbox.messages.values()].filter((m) => m.threadId === req.data.threadId)
      : [];
    if (req.data.threadId && threadMessages.length === 0) return notFound();
    const ids = new Set(
      threadMessages.map((m) => m.payload.headers?.find((h) => h.name.toLowerCase() === "message-id")?.value),
    );
    const references = `${header("References") ?? ""} ${header("In-Reply-To") ?? ""}`;
    const bare = (subject: string | null) => (subject ?? "").replace(/^(\s*re\s*:\s*)+/i, "").trim();
    const firstSubject =
      threadMessages[0]?.payload.headers?.find((h) => h.name.toLowerCase() === "subject")?.value ?? null;
    const threaded =
      threadMessages.length > 0 &&
      [...ids].some((id) => id && references.includes(id)) &&
      bare(header("Subject")) === bare(firstSubject);
    const sent = mailbox.recordSent({ raw, threadId: threaded ? req.data.threadId! : null });
    return { status: 200, body: { id: sent.id, threadId: sent.threadId, labelIds: ["SENT"] } };
  },

  "labels.list": ({ mailbox }) => {
    const system = ["INBOX", "SPAM", "TRASH", "UNREAD", "STARRED", "IMPORTANT", "SENT", "DRAFT", "CHAT"].map(
      (id) => ({
        id,
        name: id,
        type: "system",
      }),
    );
    const user = [...mailbox.userLabels.values()].map((l) => ({
      ...l,
      type: "user",
      messageListVisibility: "show",
      labelListVisibility: "labelShow",
    }));
    return { status: 200, body: { labels: [...system, ...user] } };
  },

  /**
   * users.labels.create. A name Gmail reserves (a system label's) is 400 "Invalid label name"
   * (GAM-team/got-your-back#350, "Muted"/"Unread"), a user label's name in any case is 409
   * "Label name exists or conflicts" (GAM-team/got-your-back#110).
   */
  "labels.create": ({ mailbox, body }) => {
    const req = labelBody.safeParse(body);
    if (!req.success) return invalid("Invalid label name");
    if (SYSTEM_LABELS.some((l) => l.toLowerCase() === req.data.name.toLowerCase()))
      return invalid("Invalid label name");
    const label = mailbox.createLabel(req.data.name);
    if (!label) return googleError(409, "Label name exists or conflicts", "ALREADY_EXISTS", "duplicate");
    return {
      status: 200,
      body: { ...label, type: "user", messageListVisibility: "show", labelListVisibility: "labelShow" },
    };
  },
};

/** The body Google sends for an injected fault (OAuth-style for OAuth endpoints, API-style for Gmail). */
export function faultReply(endpoint: FakeEndpoint, f: FaultSpec): Reply {
  const headers: Record<string, string> =
    f.retryAfterSeconds === undefined ? {} : { "retry-after": String(f.retryAfterSeconds) };
  if (endpoint === "token" || endpoint === "revoke" || endpoint === "certs") {
    return {
      status: f.status,
      body: { error: f.reason ?? (f.status >= 500 ? "internal_failure" : "rate_limit_exceeded") },
      headers,
    };
  }
  const [reason, message, status] =
    f.status === 429
      ? ["rateLimitExceeded", "Too many concurrent requests for user", "RESOURCE_EXHAUSTED"]
      : f.status === 403
        ? ["userRateLimitExceeded", "User-rate limit exceeded.", "PERMISSION_DENIED"]
        : f.status === 503
          ? ["backendError", "The service is currently unavailable.", "UNAVAILABLE"]
          : f.status >= 500
            ? ["backendError", "Backend Error", "INTERNAL"]
            : ["failedPrecondition", "Precondition check failed.", "FAILED_PRECONDITION"];
  const reply = googleError(f.status, f.message ?? message, status, f.reason ?? reason);
  if (f.retryDelay !== undefined) {
    const error = (reply.body as { error: Record<string, unknown> }).error;
    error.details = [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: f.retryDelay }];
  }
  return { ...reply, headers };
}
