import { beforeEach, describe, expect, it } from "vitest";
import { RateLimitedError } from "@/lib/mail/errors";
import { getMessage } from "@/lib/mail/outlook/api";
import { GRAPH_BASE } from "@/lib/mail/outlook/graph-client";
import { parseGraphNotifications } from "@/lib/mail/outlook/notifications";
import { MICROSOFT_SCOPES } from "@/lib/mail/outlook/oauth";
import { createOutlookProvider } from "@/lib/mail/outlook/provider";
import type { MailboxAccess } from "@/lib/mail/provider";
import { createMicrosoftFake, type FakeUser } from "@/lib/testing/microsoft-fake";
import { GRAPH_ENDPOINT_PERMISSIONS, graphPermissions } from "@/lib/testing/microsoft-fake-rules";
import { server } from "@/lib/testing/msw";

/**
 * Microsoft Graph's contract as its documentation states it (microsoftgraph/microsoft-graph-docs-contrib,
 * rules in lib/testing/microsoft-fake-*.ts): what our client sends passes, what Graph refuses is
 * refused in Graph's error shape, and the documented optional variants parse.
 */

const ms = createMicrosoftFake();
let user: FakeUser;
let token: string;

beforeEach(() => {
  server.use(...ms.handlers);
  user = ms.addUser({ address: `awa.${Math.random().toString(36).slice(2)}@contoso-ci.com` });
  token = ms.tokensFor(user).accessToken;
});

describe("throttling", () => {
  it("waits the fractional Retry-After Graph sends (2.128 s), not a default", async () => {
    const message = ms.addMessage(user, { subject: "x" });
    ms.failNext(1, { status: 429, retryAfterSeconds: 2.128 });
    ms.failNext(1, { status: 503, retryAfterSeconds: 0.5 });
    for (const expected of [2128, 500]) {
      const error = await getMessage(token, message.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterMs).toBe(expected);
    }
  });
});

describe("permissions per endpoint", () => {
  const WEBHOOK = "https://app.fluxasync.test/api/webhooks/outlook";
  const access = (): MailboxAccess => ({ accessToken: token, address: user.address, mailboxId: user.oid });

  it("serves every call our provider makes with the permissions we ask for", async () => {
    const before = ms.graphCalls();
    const outlook = createOutlookProvider({ notificationUrl: WEBHOOK });
    const watch = await outlook.watch(access(), { previous: null });
    await outlook.watch(access(), { previous: { ...watch, clientState: null } });
    const first = await outlook.recentInbox(access(), { since: new Date(Date.now() - 86_400_000), max: 10 });
    const m = ms.addMessage(user, { subject: "Contrat", categories: ["Perso"] });
    const changes = await outlook.listChanges(access(), first.cursor);
    expect(changes).toMatchObject({ kind: "changes", messageIds: [m.id] });
    await expect(outlook.fetchMessage(access(), m.id)).resolves.toMatchObject({ subject: "Contrat" });
    const done = await outlook.applyActions(access(), m.id, [
      { kind: "label", name: "FluxAsync/Spam" },
      { kind: "mark_read" },
      { kind: "archive" },
    ]);
    expect(done).toEqual(["label:FluxAsync/Spam", "mark_read", "archive"]);
    expect(ms.message(user, m.id)).toMatchObject({ categories: ["Perso", "FluxAsync/Spam"], isRead: true });
    await outlook.stopWatch(access(), watch);
    expect(ms.graphCalls() - before).toBeGreaterThan(6);
  });

  it("refuses the master category list to our token: it needs MailboxSettings, which we never ask for", async () => {
    const granted = graphPermissions(MICROSOFT_SCOPES.join(" "));
    expect(granted).toEqual(["Mail.ReadWrite", "User.Read"]);
    expect(GRAPH_ENDPOINT_PERMISSIONS["categories.list"]?.some((p) => granted.includes(p))).toBe(false);
    const res = await fetch(`${GRAPH_BASE}/me/outlook/masterCategories`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "ErrorAccessDenied" } });
  });

  it("refuses message changes to a read-only grant, and our client says reconnect", async () => {
    const readOnly = ms.tokensFor(user, "https://graph.microsoft.com/Mail.Read").accessToken;
    const m = ms.addMessage(user, { subject: "x" });
    const outlook = createOutlookProvider({ notificationUrl: WEBHOOK });
    const session = { ...access(), accessToken: readOnly };
    await expect(outlook.fetchMessage(session, m.id)).resolves.toMatchObject({ subject: "x" });
    // Each step fails on its own; none is lost silently.
    expect(await outlook.applyActions(session, m.id, [{ kind: "mark_read" }, { kind: "archive" }])).toEqual([
      "failed:mark_read",
      "failed:archive",
    ]);
  });
});

describe("documented payload shapes", () => {
  it("reads a notification batch as Graph documents it: a change, a lifecycle event and an item of a new kind", () => {
    const batch = parseGraphNotifications({
      value: [
        {
          subscriptionId: "7f105c7d-2dc5-4530-97cd-4e7ae6534c07",
          subscriptionExpirationDateTime: "2026-12-08T10:00:00.000Z",
          changeType: "created",
          resource: "Users/abc/Messages/AAMkAD",
          resourceData: {
            "@odata.type": "#Microsoft.Graph.Message",
            "@odata.id": "Users/abc/Messages/AAMkAD",
            "@odata.etag": 'W/"CQAAABYAAAA"',
            id: "AAMkAD",
          },
          clientState: "secret",
          tenantId: "84bd8158-6d4d-4958-8b9f-9d6445542f95",
        },
        {
          subscriptionId: "7f105c7d-2dc5-4530-97cd-4e7ae6534c07",
          subscriptionExpirationDateTime: "2026-12-08T10:00:00.000Z",
          tenantId: "84bd8158-6d4d-4958-8b9f-9d6445542f95",
          clientState: "secret",
          lifecycleEvent: "reauthorizationRequired",
        },
        { subscriptionId: "x", clientState: "secret", lifecycleEvent: "somethingNew" },
      ],
    });
    expect(batch).toMatchObject({
      malformed: 0,
      items: [
        { kind: "change", messageId: "AAMkAD", changeType: "created" },
        { kind: "lifecycle", event: "reauthorizationRequired" },
        { kind: "lifecycle", event: "unknown" },
      ],
    });
  });

  it("follows a delta round's nextLink pages to its deltaLink and reads removals", async () => {
    ms.settings.defaultPageSize = 2;
    try {
      const outlook = createOutlookProvider({
        notificationUrl: "https://app.fluxasync.test/api/webhooks/outlook",
      });
      const access = { accessToken: token, address: user.address, mailboxId: user.oid };
      const first = await outlook.recentInbox(access, { since: new Date(Date.now() - 86_400_000), max: 10 });
      const added = [1, 2, 3, 4, 5].map((i) => ms.addMessage(user, { subject: `m${i}` }));
      ms.deleteMessage(user, added[0]!.id);
      const changes = await outlook.listChanges(access, first.cursor);
      expect(changes.kind === "changes" && changes.messageIds.sort()).toEqual(
        added
          .slice(1)
          .map((m) => m.id)
          .sort(),
      );
    } finally {
      ms.settings.defaultPageSize = 10;
    }
  });
});
