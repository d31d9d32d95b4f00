import { beforeEach, describe, expect, it } from "vitest";
import { RateLimitedError, ReconnectRequiredError } from "@/lib/mail/errors";
import {
  createLabel,
  getMessage,
  getProfile,
  listHistory,
  listLabels,
  listMessages,
  modifyMessage,
  stop,
  watch,
} from "@/lib/mail/gmail/api";
import type { GmailCall } from "@/lib/mail/gmail/api-request";
import { GMAIL_API_BASE, GMAIL_MODIFY_SCOPE } from "@/lib/mail/gmail/google-endpoints";
import { createGmailProvider } from "@/lib/mail/gmail/provider";
import { GMAIL_METHODS } from "@/lib/mail/gmail/quota";
import { createGoogleFake, type GoogleFake } from "@/lib/testing/google-fake";
import { GMAIL_METHOD_SCOPES } from "@/lib/testing/google-fake-rules";
import { server } from "@/lib/testing/msw";

/**
 * Gmail's contract as the discovery document states it (see lib/testing/google-fake-rules.ts):
 * every request our client can send passes the fake's documented rules, and requests that break
 * them are refused the way Gmail refuses them.
 */

const address = "direction@sotra.ci";
const topicName = "projects/fluxasync-test/topics/gmail-push";
const READONLY = "https://www.googleapis.com/auth/gmail.readonly";
let fake: GoogleFake;
let token: string;

beforeEach(() => {
  fake = createGoogleFake({ topicName });
  server.use(...fake.handlers);
  token = fake.accessToken(address);
});

type GoogleErrorBody = {
  error: { code: number; status: string; message: string; details?: { reason?: string }[] };
};

async function raw(path: string, init: { method?: string; body?: unknown; bearer?: string } = {}) {
  const res = await fetch(`${GMAIL_API_BASE}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${init.bearer ?? token}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as GoogleErrorBody | null };
}

describe("users.watch", () => {
  it("refuses a labelFilterBehavior spelling the discovery document does not list, in Google's error shape", async () => {
    const res = await raw("/watch", {
      method: "POST",
      body: { topicName, labelIds: ["INBOX"], labelFilterBehavior: "INCLUDE" },
    });
    expect(res.status).toBe(400);
    expect(res.body?.error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
    expect(res.body?.error.message).toContain("label_filter_behavior");
    expect(fake.mailbox(address).watch).toBeNull();
  });

  it("accepts the watch our provider starts: INBOX only, labelFilterBehavior include", async () => {
    const state = await createGmailProvider({ topicName }).watch(
      { accessToken: token, address, mailboxId: "mbx" },
      { previous: null },
    );
    expect(state.cursor).toBe(fake.mailbox(address).historyId);
    expect(fake.mailbox(address).watch).toMatchObject({
      topicName,
      labelIds: ["INBOX"],
      labelFilterBehavior: "include",
    });
  });
});

describe("scopes per method", () => {
  it("serves every call our client makes with the one scope we ask for (gmail.modify)", async () => {
    const calls: GmailCall[] = [];
    const meter = { meter: (c: GmailCall) => calls.push(c) };
    const box = fake.mailbox(address);
    const start = box.historyId;
    const { id } = box.addMessage({ from: "a@b.ci", text: "1" });
    await getProfile(token, meter);
    await watch(token, { topicName }, meter);
    await listHistory(token, { startHistoryId: start, historyTypes: "messageAdded", maxResults: 500 }, meter);
    await listMessages(token, { q: "in:inbox", maxResults: 500 }, meter);
    for (const format of ["full", "metadata", "minimal"] as const) await getMessage(token, id, format, meter);
    const label = await createLabel(token, "FluxAsync/Critique", meter);
    await listLabels(token, meter);
    await modifyMessage(token, id, { addLabelIds: [label.id], removeLabelIds: ["UNREAD", "INBOX"] }, meter);
    await stop(token, meter);
    expect(calls.every((c) => c.status !== null && c.status < 300)).toBe(true);
    // Every method we call is one the fake knows the scopes of, and gmail.modify covers each.
    for (const method of GMAIL_METHODS) {
      expect(GMAIL_METHOD_SCOPES[method]).toContain(GMAIL_MODIFY_SCOPE);
    }
  });

  it("refuses label changes to a read-only grant, which our client reports as a reconnect", async () => {
    const readOnly = fake.accessToken(address, 3600, [READONLY]);
    const { id } = fake.mailbox(address).addMessage({ from: "a@b.ci", text: "1" });
    await expect(getMessage(readOnly, id)).resolves.toMatchObject({ id });
    const res = await raw(`/messages/${id}/modify`, {
      method: "POST",
      body: { removeLabelIds: ["UNREAD"] },
      bearer: readOnly,
    });
    expect(res.status).toBe(403);
    expect(res.body?.error.details?.[0]?.reason).toBe("ACCESS_TOKEN_SCOPE_INSUFFICIENT");
    const error = await modifyMessage(readOnly, id, { removeLabelIds: ["UNREAD"] }).catch((e) => e);
    expect(error).toBeInstanceOf(ReconnectRequiredError);
    expect(error).toMatchObject({ reason: "insufficient_scope" });
    await expect(createLabel(readOnly, "FluxAsync/X")).rejects.toBeInstanceOf(ReconnectRequiredError);
  });
});

describe("documented request limits", () => {
  it("refuses maxResults above 500, unknown history types and message formats", async () => {
    const start = fake.mailbox(address).historyId;
    expect((await raw(`/history?startHistoryId=${start}&maxResults=501`)).status).toBe(400);
    expect((await raw(`/history?startHistoryId=${start}&historyTypes=MESSAGE_ADDED`)).status).toBe(400);
    expect((await raw("/history")).status).toBe(400);
    const { id } = fake.mailbox(address).addMessage({ from: "a@b.ci", text: "1" });
    expect((await raw(`/messages/${id}?format=FULL`)).status).toBe(400);
    expect((await raw(`/messages/${id}?format=raw`)).status).toBe(200);
  });

  it("refuses a label without its required visibilities and more than 100 labels in one modify", async () => {
    const res = await raw("/labels", { method: "POST", body: { name: "FluxAsync/X" } });
    expect(res.status).toBe(400);
    expect(res.body?.error.status).toBe("INVALID_ARGUMENT");
    const { id } = fake.mailbox(address).addMessage({ from: "a@b.ci", text: "1" });
    const many = Array.from({ length: 101 }, () => "UNREAD");
    expect(
      (await raw(`/messages/${id}/modify`, { method: "POST", body: { removeLabelIds: many } })).status,
    ).toBe(400);
  });

  it("refuses an empty modify, a deleted label's id, a reserved name and a duplicate name, as Gmail does", async () => {
    const box = fake.mailbox(address);
    const { id } = box.addMessage({ from: "a@b.ci", text: "1" });
    const empty = await raw(`/messages/${id}/modify`, { method: "POST", body: { addLabelIds: [] } });
    expect(empty).toMatchObject({
      status: 400,
      body: { error: { message: "No label add or removes specified" } },
    });
    const visible = { labelListVisibility: "labelShow", messageListVisibility: "show" };
    const created = await raw("/labels", {
      method: "POST",
      body: { name: "FluxAsync/Critique", ...visible },
    });
    expect(created.status).toBe(200);
    const labelId = (created.body as unknown as { id: string }).id;
    box.deleteLabel("FluxAsync/Critique");
    const stale = await raw(`/messages/${id}/modify`, { method: "POST", body: { addLabelIds: [labelId] } });
    expect(stale).toMatchObject({
      status: 400,
      body: { error: { status: "INVALID_ARGUMENT", message: `Invalid label: ${labelId}` } },
    });
    expect((await raw("/labels", { method: "POST", body: { name: "Unread", ...visible } })).status).toBe(400);
    await raw("/labels", { method: "POST", body: { name: "FluxAsync/Spam", ...visible } });
    expect(
      (await raw("/labels", { method: "POST", body: { name: "fluxasync/spam", ...visible } })).status,
    ).toBe(409);
  });
});

describe("throttling answers", () => {
  it("honours a fractional Retry-After and a RetryInfo delay to the millisecond", async () => {
    fake.fail("getProfile", { status: 429, retryAfterSeconds: 2.128 });
    fake.fail("getProfile", { status: 429, retryAfterSeconds: 2.5 });
    fake.fail("getProfile", { status: 429, retryDelay: "3.25s" });
    for (const expected of [2128, 2500, 3250]) {
      const error = await getProfile(token).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterMs).toBe(expected);
    }
  });
});

describe("documented response shapes", () => {
  it("pages history at the documented maximum of 500 records, the cursor never skipping the rest", async () => {
    const box = fake.mailbox(address);
    const start = box.historyId;
    const ids = Array.from({ length: 1000 }, (_, i) => box.addMessage({ from: "a@b.ci", text: `${i}` }).id);
    const first = await listHistory(token, {
      startHistoryId: start,
      historyTypes: "messageAdded",
      maxResults: 500,
    });
    expect(first.history).toHaveLength(500);
    expect(first.nextPageToken).toBeDefined();
    const changes = await createGmailProvider({ topicName }).listChanges(
      { accessToken: token, address, mailboxId: "mbx" },
      start,
    );
    expect(changes).toMatchObject({ kind: "changes", messageIds: ids });
  });

  it("reads a Pub/Sub push as Pub/Sub documents it (camelCase and snake_case copies, base64 data)", async () => {
    const { pubSubPushSchema } = await import("@/lib/mail/gmail/push-envelope");
    const data = Buffer.from(
      JSON.stringify({ emailAddress: "Direction@Sotra.ci", historyId: 9876543210 }),
    ).toString("base64");
    const notice = pubSubPushSchema.parse({
      message: {
        attributes: {},
        data,
        messageId: "2070443601311540",
        message_id: "2070443601311540",
        publishTime: "2026-12-01T10:00:00.000Z",
        publish_time: "2026-12-01T10:00:00.000Z",
      },
      subscription: "projects/fluxasync-test/subscriptions/gmail-push",
    });
    expect(notice).toMatchObject({ emailAddress: "direction@sotra.ci", historyId: "9876543210" });
  });

  it("reads a message in each documented format", async () => {
    const { id } = fake
      .mailbox(address)
      .addMessage({ from: "Client <c@banque.ci>", subject: "Contrat", text: "x" });
    const minimal = await getMessage(token, id, "minimal");
    expect(minimal?.payload).toBeUndefined();
    const metadata = await getMessage(token, id, "metadata");
    expect(metadata?.payload?.headers?.find((h) => h.name === "Subject")?.value).toBe("Contrat");
    const full = await getMessage(token, id, "full");
    expect(full?.labelIds).toContain("INBOX");
  });
});
