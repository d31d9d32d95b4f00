import type { GmailMethod } from "@/lib/mail/gmail/quota";
import type { Reply } from "@/lib/testing/google-fake-gmail";

/**
 * What Gmail enforces on each request the fake answers, so a client mistake fails a test the way it
 * would fail in production. Every rule is taken from the Gmail API discovery document
 * (`discovery/gmail-v1.json` in googleapis/google-api-nodejs-client, commit 098dc20e, read
 * 2026-12): the `scopes` of each method, the `enum` of each parameter and schema field, the
 * `annotations.required` of request schemas, and the documented maxima. Only facts are taken.
 */

const MAIL = "https://mail.google.com/";
const MODIFY = "https://www.googleapis.com/auth/gmail.modify";
const READONLY = "https://www.googleapis.com/auth/gmail.readonly";
const METADATA = "https://www.googleapis.com/auth/gmail.metadata";
const LABELS = "https://www.googleapis.com/auth/gmail.labels";
const COMPOSE = "https://www.googleapis.com/auth/gmail.compose";

/** `resources.users…methods.<m>.scopes`: any one of them authorises the call. */
export const GMAIL_METHOD_SCOPES: Record<GmailMethod, readonly string[]> = {
  getProfile: [MAIL, COMPOSE, METADATA, MODIFY, READONLY],
  watch: [MAIL, METADATA, MODIFY, READONLY],
  stop: [MAIL, METADATA, MODIFY, READONLY],
  "history.list": [MAIL, METADATA, MODIFY, READONLY],
  "messages.list": [MAIL, METADATA, MODIFY, READONLY],
  "messages.get": [MAIL, METADATA, MODIFY, READONLY],
  "messages.attachments.get": [
    MAIL,
    "https://www.googleapis.com/auth/gmail.addons.current.message.action",
    "https://www.googleapis.com/auth/gmail.addons.current.message.readonly",
    MODIFY,
    READONLY,
  ],
  "messages.modify": [MAIL, MODIFY],
  // users.messages.send: mail.google.com, gmail.modify, gmail.compose, gmail.addons.current.action.compose
  // and gmail.send — the gmail.modify we already hold authorises it, so replies need no new Google scope.
  "messages.send": [
    MAIL,
    MODIFY,
    COMPOSE,
    "https://www.googleapis.com/auth/gmail.addons.current.action.compose",
    "https://www.googleapis.com/auth/gmail.send",
  ],
  "labels.list": [MAIL, LABELS, METADATA, MODIFY, READONLY],
  "labels.create": [MAIL, LABELS, MODIFY],
};

/**
 * Google's answer to a token without any of the method's scopes: 403 PERMISSION_DENIED with the
 * legacy reason `insufficientPermissions` and the ErrorInfo reason ACCESS_TOKEN_SCOPE_INSUFFICIENT
 * (the shape of Google's AIP-193 error model; the Gmail API sends both).
 */
function insufficientScope(): Reply {
  const message = "Request had insufficient authentication scopes.";
  return {
    status: 403,
    body: {
      error: {
        code: 403,
        message,
        errors: [{ message: "Insufficient Permission", domain: "global", reason: "insufficientPermissions" }],
        status: "PERMISSION_DENIED",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
            domain: "googleapis.com",
            metadata: { service: "gmail.googleapis.com", method: "caribou.api.proto.MailboxService" },
          },
        ],
      },
    },
  };
}

/** Google's 400 INVALID_ARGUMENT, with the legacy `errors[].reason` and, when given, a BadRequest detail. */
function badRequest(message: string, reason: string, field?: string): Reply {
  const details = field
    ? [
        {
          "@type": "type.googleapis.com/google.rpc.BadRequest",
          fieldViolations: [{ field, description: message }],
        },
      ]
    : undefined;
  return {
    status: 400,
    body: {
      error: {
        code: 400,
        message,
        errors: [{ message, domain: "global", reason }],
        status: "INVALID_ARGUMENT",
        ...(details ? { details } : {}),
      },
    },
  };
}

/** A value the API does not accept, the field named in snake_case as Google does. */
const invalidValue = (field: string, value: unknown, expected: string) =>
  badRequest(`Invalid value at '${field}' (${expected}), ${JSON.stringify(value)}`, "invalid", field);

const required = (field: string) => badRequest(`Invalid request: ${field} is required.`, "required");

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function oneOf(field: string, value: unknown, allowed: readonly string[], type: string): Reply | null {
  if (value === undefined) return null;
  return typeof value === "string" && allowed.includes(value)
    ? null
    : invalidValue(snake(field), value, type);
}

/** `maxResults`: uint32, "the maximum allowed value for this field is 500" (history, messages). */
function maxResults(url: URL): Reply | null {
  const raw = url.searchParams.get("maxResults");
  if (raw === null) return null;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= 500
    ? null
    : invalidValue("max_results", raw, "TYPE_UINT32 ≤ 500");
}

/** `ModifyMessageRequest.addLabelIds` / `removeLabelIds`: "up to 100 labels with each update". */
function labelList(field: string, value: unknown): Reply | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    return invalidValue(snake(field), value, "TYPE_STRING repeated");
  }
  return value.length <= 100 ? null : invalidValue(snake(field), value.length, "at most 100 labels");
}

const asRecord = (body: unknown): Record<string, unknown> =>
  body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

/** Documented shape of each request body and query: null when Gmail would accept it. */
const requestRules: Partial<Record<GmailMethod, (url: URL, body: Record<string, unknown>) => Reply | null>> =
  {
    // WatchRequest: labelFilterBehavior (and the deprecated labelFilterAction) take "include" or
    // "exclude", lower case; topicName names an existing Pub/Sub topic.
    watch: (_url, body) =>
      (typeof body.topicName === "string" ? null : required("topicName")) ??
      oneOf(
        "labelFilterBehavior",
        body.labelFilterBehavior,
        ["include", "exclude"],
        "type.googleapis.com/gmail.WatchRequest.LabelFilterBehavior",
      ) ??
      oneOf(
        "labelFilterAction",
        body.labelFilterAction,
        ["include", "exclude"],
        "type.googleapis.com/gmail.WatchRequest.LabelFilterAction",
      ) ??
      labelList("labelIds", body.labelIds),

    // history.list: startHistoryId is required (uint64); historyTypes is a repeated enum.
    "history.list": (url) => {
      const start = url.searchParams.get("startHistoryId");
      if (start === null) return required("startHistoryId");
      if (!/^\d+$/.test(start)) return invalidValue("start_history_id", start, "TYPE_UINT64");
      for (const [i, t] of url.searchParams.getAll("historyTypes").entries()) {
        const bad = oneOf(
          `historyTypes[${i}]`,
          t,
          ["messageAdded", "messageDeleted", "labelAdded", "labelRemoved"],
          "type.googleapis.com/gmail.HistoryType",
        );
        if (bad) return bad;
      }
      return maxResults(url);
    },

    "messages.list": (url) => maxResults(url),

    // messages.get: format is one of minimal, full, raw, metadata.
    "messages.get": (url) =>
      oneOf(
        "format",
        url.searchParams.get("format") ?? undefined,
        ["minimal", "full", "raw", "metadata"],
        "type.googleapis.com/gmail.MessageFormat",
      ),

    "messages.modify": (_url, body) =>
      labelList("addLabelIds", body.addLabelIds) ?? labelList("removeLabelIds", body.removeLabelIds),

    // Label: name, labelListVisibility and messageListVisibility are required on create, each
    // visibility from its enum.
    "labels.create": (_url, body) =>
      (typeof body.name === "string" && body.name.trim() !== "" ? null : required("name")) ??
      (body.labelListVisibility === undefined ? required("labelListVisibility") : null) ??
      (body.messageListVisibility === undefined ? required("messageListVisibility") : null) ??
      oneOf(
        "labelListVisibility",
        body.labelListVisibility,
        ["labelShow", "labelShowIfUnread", "labelHide"],
        "type.googleapis.com/gmail.Label.LabelListVisibility",
      ) ??
      oneOf(
        "messageListVisibility",
        body.messageListVisibility,
        ["show", "hide"],
        "type.googleapis.com/gmail.Label.MessageListVisibility",
      ),
  };

/**
 * The documented refusal for this request, or null when Gmail would go on to serve it: first the
 * token's scopes, then the request's parameters and body.
 */
export function gmailRuleViolation(
  method: GmailMethod,
  request: { grantedScopes: readonly string[]; url: URL; body: unknown },
): Reply | null {
  if (!GMAIL_METHOD_SCOPES[method].some((s) => request.grantedScopes.includes(s))) return insufficientScope();
  return requestRules[method]?.(request.url, asRecord(request.body)) ?? null;
}
