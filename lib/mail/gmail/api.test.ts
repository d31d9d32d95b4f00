import { HttpResponse, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import {
  CursorExpiredError,
  ProviderRequestError,
  ProviderUnavailableError,
  RateLimitedError,
  ReconnectRequiredError,
  TokenExpiredError,
  WatchConflictError,
} from "@/lib/mail/errors";
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
import { createGoogleFake, type GoogleFake } from "@/lib/testing/google-fake";
import { server } from "@/lib/testing/msw";

const address = "direction@sotra.ci";
const topicName = "projects/fluxasync/topics/gmail";
let fake: GoogleFake;
let token: string;

beforeEach(() => {
  fake = createGoogleFake();
  server.use(...fake.handlers);
  token = fake.accessToken(address);
});

describe("Gmail API client", () => {
  it("reads the profile and starts a watch on the inbox", async () => {
    fake.mailbox(address).addMessage({ from: "a@b.ci", subject: "x", text: "y" });
    const profile = await getProfile(token);
    expect(profile).toMatchObject({ emailAddress: address, messagesTotal: 1 });
    expect(profile.historyId).toBe(fake.mailbox(address).historyId);
    const before = Date.now();
    const w = await watch(token, { topicName });
    expect(w.historyId).toBe(profile.historyId);
    expect(w.expiration).toBeGreaterThan(before + 6 * 24 * 3600 * 1000);
    expect(fake.mailbox(address).watch).toMatchObject({ topicName, labelIds: ["INBOX"] });
    await stop(token);
    expect(fake.mailbox(address).watch).toBeNull();
  });

  it("maps the push-client conflict on watch to WatchConflictError", async () => {
    fake.mailbox(address).pushClientConflict = true;
    await expect(watch(token, { topicName })).rejects.toBeInstanceOf(WatchConflictError);
  });

  it("maps an expired history start to CursorExpiredError", async () => {
    const box = fake.mailbox(address);
    const start = box.historyId;
    box.addMessage({ from: "a@b.ci", text: "1" });
    box.expireAllHistory();
    await expect(
      listHistory(token, { startHistoryId: start, historyTypes: "messageAdded" }),
    ).rejects.toBeInstanceOf(CursorExpiredError);
  });

  it("returns null for a message deleted before we fetched or modified it", async () => {
    const box = fake.mailbox(address);
    const { id } = box.addMessage({ from: "a@b.ci", text: "1" });
    box.deleteMessage(id);
    await expect(getMessage(token, id)).resolves.toBeNull();
    await expect(modifyMessage(token, id, { removeLabelIds: ["UNREAD"] })).resolves.toBeNull();
  });

  it("lists messages by query and creates labels", async () => {
    const box = fake.mailbox(address);
    const { id } = box.addMessage({ from: "a@b.ci", text: "1" });
    box.addMessage({ from: "me@sotra.ci", text: "2", labels: ["SENT"] });
    const list = await listMessages(token, { q: "in:inbox" });
    expect(list.messages?.map((m) => m.id)).toEqual([id]);
    const label = await createLabel(token, "FluxAsync/Critique");
    expect((await listLabels(token)).map((l) => l.name)).toContain("FluxAsync/Critique");
    const modified = await modifyMessage(token, id, { addLabelIds: [label.id], removeLabelIds: ["UNREAD"] });
    expect(modified?.labelIds).toEqual(expect.arrayContaining(["INBOX", label.id]));
    expect(box.labelNames(id)).not.toContain("UNREAD");
    await expect(createLabel(token, "fluxasync/critique")).rejects.toMatchObject({ status: 409 });
  });

  it("maps 401 to TokenExpiredError", async () => {
    fake.expireAccessTokens(address);
    await expect(getProfile(token)).rejects.toBeInstanceOf(TokenExpiredError);
  });

  it("maps 429 to RateLimitedError with the Retry-After hint, then succeeds", async () => {
    fake.fail("getProfile", { status: 429, retryAfterSeconds: 7 });
    const error = await getProfile(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(7000);
    await expect(getProfile(token)).resolves.toMatchObject({ emailAddress: address });
  });

  it("maps 403 userRateLimitExceeded to RateLimitedError, reading 'Retry after' from the message", async () => {
    const at = new Date(Date.now() + 30_000).toISOString();
    fake.fail("messages.list", { status: 403, message: `User-rate limit exceeded.  Retry after ${at}` });
    const error = await listMessages(token, { q: "in:inbox" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(25_000);
    expect((error as RateLimitedError).retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it("maps 5xx and network failures to ProviderUnavailableError", async () => {
    fake.fail("history.list", { status: 500 });
    fake.fail("history.list", { status: 503 });
    const start = fake.mailbox(address).historyId;
    await expect(listHistory(token, { startHistoryId: start })).rejects.toMatchObject({ status: 500 });
    await expect(listHistory(token, { startHistoryId: start })).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
    server.use(
      http.get("https://gmail.googleapis.com/gmail/v1/users/me/profile", () => HttpResponse.error()),
    );
    await expect(getProfile(token)).rejects.toMatchObject({ code: "provider_unavailable", status: null });
  });

  it("maps a missing Gmail scope to ReconnectRequiredError", async () => {
    server.use(
      http.get("https://gmail.googleapis.com/gmail/v1/users/me/profile", () =>
        HttpResponse.json(
          {
            error: {
              code: 403,
              message: "Request had insufficient authentication scopes.",
              errors: [
                { message: "Insufficient Permission", domain: "global", reason: "insufficientPermissions" },
              ],
              status: "PERMISSION_DENIED",
              details: [
                {
                  "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                  reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                },
              ],
            },
          },
          { status: 403 },
        ),
      ),
    );
    await expect(getProfile(token)).rejects.toMatchObject({ reason: "insufficient_scope" });
    await expect(getProfile(token)).rejects.toBeInstanceOf(ReconnectRequiredError);
  });

  it("rejects an answer that does not match Gmail's documented shape", async () => {
    server.use(
      http.get("https://gmail.googleapis.com/gmail/v1/users/me/profile", () =>
        HttpResponse.json({ hello: 1 }),
      ),
    );
    await expect(getProfile(token)).rejects.toMatchObject({ reason: "invalid_response" });
    await expect(getProfile(token)).rejects.toBeInstanceOf(ProviderRequestError);
  });

  it("meters quota units per call, refused calls included", async () => {
    const calls: GmailCall[] = [];
    const meter = (c: GmailCall) => calls.push(c);
    const { id } = fake.mailbox(address).addMessage({ from: "a@b.ci", text: "1" });
    fake.fail("messages.get", { status: 429 });
    await getMessage(token, id, "full", { meter }).catch(() => undefined);
    await getMessage(token, id, "full", { meter });
    await getProfile(token, { meter });
    await watch(token, { topicName }, { meter });
    await stop(token, { meter });
    expect(calls.map((c) => [c.method, c.units, c.status])).toEqual([
      // The default profile is the May 2026 one: a message read costs 20 units.
      ["messages.get", 20, 429],
      ["messages.get", 20, 200],
      ["getProfile", 1, 200],
      ["watch", 100, 200],
      ["stop", 50, 204],
    ]);
  });
});
