import { beforeEach, describe, expect, it } from "vitest";
import { RateLimitedError } from "@/lib/mail/errors";
import { parseGraphNotifications } from "@/lib/mail/outlook/notifications";
import { createOutlookProvider } from "@/lib/mail/outlook/provider";
import type { MailboxAccess } from "@/lib/mail/provider";
import { createMicrosoftFake, type FakeUser } from "@/lib/testing/microsoft-fake";
import { server } from "@/lib/testing/msw";

const ms = createMicrosoftFake();
const WEBHOOK = "https://app.fluxasync.test/api/webhooks/outlook";
const since = new Date(Date.now() - 7 * 86_400_000);

beforeEach(() => {
  server.use(...ms.handlers);
});

function connect(): { user: FakeUser; access: MailboxAccess } {
  const address = `awa.${Math.random().toString(36).slice(2)}@contoso-ci.com`;
  const user = ms.addUser({ address });
  return { user, access: { accessToken: ms.tokensFor(user).accessToken, address, mailboxId: user.oid } };
}

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe("createOutlookProvider", () => {
  const outlook = createOutlookProvider({ notificationUrl: WEBHOOK });

  it("catches up with recent inbox mail, newest first and capped, then follows the delta cursor", async () => {
    const { user, access } = connect();
    const old = ms.addMessage(user, { receivedDateTime: ago(60) });
    const mid = ms.addMessage(user, { receivedDateTime: ago(30) });
    const recent = ms.addMessage(user, { receivedDateTime: ago(5) });
    ms.addMessage(user, { receivedDateTime: ago(20) }, "archive");

    const initial = await outlook.recentInbox(access, { since, max: 2 });
    expect(initial.messageIds).toEqual([recent.id, mid.id]);
    expect(initial.messageIds).not.toContain(old.id);

    const arrived = ms.addMessage(user, { subject: "Nouveau contrat" });
    const changes = await outlook.listChanges(access, initial.cursor);
    expect(changes).toEqual({ kind: "changes", messageIds: [arrived.id], cursor: expect.any(String) });

    ms.invalidateDeltaTokens(user);
    if (changes.kind !== "changes") throw new Error("unreachable");
    expect(await outlook.listChanges(access, changes.cursor)).toEqual({ kind: "expired" });
  });

  it("fetches a message as a NormalizedMessage, or null once it is gone", async () => {
    const { user, access } = connect();
    const graph = ms.addMessage(user, {
      subject: "Contrat à signer",
      from: { emailAddress: { name: "Client", address: "client@banque.ci" } },
      toRecipients: [{ emailAddress: { name: "Awa", address: access.address } }],
      body: { contentType: "html", content: "<p>Merci de <b>signer</b> aujourd'hui.</p>" },
      internetMessageHeaders: [{ name: "Precedence", value: "bulk" }],
      attachments: [
        {
          name: "contrat.pdf",
          contentType: "application/pdf",
          size: 1200,
          isInline: false,
          contentBytes: "JVBERi0x",
        },
      ],
      webLink: "https://outlook.office365.com/owa/?ItemID=x",
    });
    const message = await outlook.fetchMessage(access, graph.id);
    expect(message).toMatchObject({
      provider: "outlook",
      providerMessageId: graph.id,
      subject: "Contrat à signer",
      text: "Merci de signer aujourd'hui.",
      headers: { precedence: "bulk" },
      attachments: [{ filename: "contrat.pdf", mimeType: "application/pdf", size: 1200 }],
      category: "primary",
      fromSelf: false,
    });
    ms.deleteMessage(user, graph.id);
    expect(await outlook.fetchMessage(access, graph.id)).toBeNull();
  });

  it("applies the category (kept with the user's own), mark read and archive", async () => {
    const { user, access } = connect();
    const a = ms.addMessage(user, { categories: ["Client VIP"] });
    const done = await outlook.applyActions(access, a.id, [
      { kind: "label", name: "FluxAsync/Critique" },
      { kind: "mark_read" },
      { kind: "archive" },
    ]);
    expect(done).toEqual(["label:FluxAsync/Critique", "mark_read", "archive"]);
    expect(ms.message(user, a.id)).toMatchObject({
      categories: ["Client VIP", "FluxAsync/Critique"],
      isRead: true,
      folder: "archive",
    });
    // One GET and one PATCH (category and read together), one move; the master list is never touched.
    expect(ms.calls["categories.list"] ?? 0).toBe(0);
    expect(ms.calls["categories.create"] ?? 0).toBe(0);
    expect(ms.calls["messages.patch"]).toBe(1);
    expect(ms.masterCategories(user)).toEqual([]);
    expect(await outlook.applyActions(access, "AAMk-gone", [{ kind: "mark_read" }])).toEqual([]);
  });

  it("still marks read and archives when the category step fails", async () => {
    const { user, access } = connect();
    const a = ms.addMessage(user, {});
    // The category step is refused (throttled); mark read then goes alone, then archive.
    ms.failNext(1, { status: 429, retryAfterSeconds: 1 });
    const done = await outlook.applyActions(access, a.id, [
      { kind: "label", name: "FluxAsync/Spam" },
      { kind: "mark_read" },
      { kind: "archive" },
    ]);
    expect(done).toEqual(["failed:label:FluxAsync/Spam", "mark_read", "archive"]);
    expect(ms.message(user, a.id)).toMatchObject({ categories: [], isRead: true, folder: "archive" });
  });

  it("creates a subscription with a fresh clientState, renews it, and recreates it once removed", async () => {
    const { access } = connect();
    const first = await outlook.watch(access, { previous: null });
    expect(first.id).toBeTruthy();
    expect(first.clientState).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.expiresAt).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    expect(ms.subscription(first.id ?? "")?.clientState).toBe(first.clientState);

    const renewed = await outlook.watch(access, { previous: first });
    expect(renewed).toMatchObject({ id: first.id, clientState: first.clientState, cursor: null });

    const lifecycle = parseGraphNotifications(ms.removeSubscription(first.id ?? ""));
    expect(lifecycle?.items[0]).toMatchObject({ kind: "lifecycle", event: "subscriptionRemoved" });
    const recreated = await outlook.watch(access, { previous: renewed });
    expect(recreated.id).not.toBe(first.id);
    expect(recreated.clientState).not.toBe(first.clientState);

    await outlook.stopWatch(access, recreated);
    expect(ms.subscription(recreated.id ?? "")).toBeNull();
    await expect(outlook.stopWatch(access, recreated)).resolves.toBeUndefined();
  });

  it("meters Graph calls and surfaces throttling with its delay", async () => {
    const calls: string[] = [];
    const metered = createOutlookProvider({
      notificationUrl: WEBHOOK,
      meter: (c) => calls.push(c.operation),
    });
    const { user, access } = connect();
    const m = ms.addMessage(user, {});
    await metered.fetchMessage(access, m.id);
    expect(calls).toEqual(["messages.get"]);
    ms.failNext(1, { status: 429, retryAfterSeconds: 30 });
    const error = await metered.fetchMessage(access, m.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 30_000 });
    expect(calls).toEqual(["messages.get", "messages.get"]);
  });
});
