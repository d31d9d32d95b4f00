import { beforeEach, describe, expect, it } from "vitest";
import {
  clientStateMatches,
  MAX_GRAPH_BATCH_ITEMS,
  parseGraphNotifications,
  validationResponse,
} from "@/lib/mail/outlook/notifications";
import { createSubscription } from "@/lib/mail/outlook/subscriptions";
import { createMicrosoftFake } from "@/lib/testing/microsoft-fake";
import { server } from "@/lib/testing/msw";

const ms = createMicrosoftFake();
beforeEach(() => {
  server.use(...ms.handlers);
});

async function subscribed(address: string, clientState: string) {
  const user = ms.addUser({ address });
  const { accessToken } = ms.tokensFor(user);
  const sub = await createSubscription(accessToken, {
    notificationUrl: "https://app.fluxasync.test/api/webhooks/outlook",
    lifecycleNotificationUrl: "https://app.fluxasync.test/api/webhooks/outlook",
    clientState,
  });
  return { user, sub };
}

const items = (body: unknown) => parseGraphNotifications(body)?.items ?? [];

describe("parseGraphNotifications", () => {
  it("reads a batch spanning several subscriptions", async () => {
    const a = await subscribed("a@contoso.ci", "state-a");
    const b = await subscribed("b@contoso.ci", "state-b");
    const body = {
      value: [
        ...ms.notificationBody(a.sub.id, ["AAMkA1", "AAMkA2"]).value,
        ...ms.notificationBody(b.sub.id, ["AAMkB1"]).value,
      ],
    };
    const parsed = parseGraphNotifications(JSON.parse(JSON.stringify(body)));
    expect(parsed?.items).toEqual([
      expect.objectContaining({
        kind: "change",
        subscriptionId: a.sub.id,
        messageId: "AAMkA1",
        clientState: "state-a",
      }),
      expect.objectContaining({
        kind: "change",
        subscriptionId: a.sub.id,
        messageId: "AAMkA2",
        changeType: "created",
      }),
      expect.objectContaining({
        kind: "change",
        subscriptionId: b.sub.id,
        messageId: "AAMkB1",
        clientState: "state-b",
      }),
    ]);
  });

  it("reads the documented example payload", () => {
    const [item] = items({
      value: [
        {
          id: "lsgTZMr9KwAAA",
          subscriptionId: "7f105c7d-2dc5-4530-97cd-4e7ae6534c07",
          subscriptionExpirationDateTime: "2016-03-19T22:11:09.952Z",
          clientState: "secretClientValue",
          changeType: "created",
          resource: "users/{user_guid}@{tenant_guid}/messages/{long_id_string}",
          tenantId: "84bd8158-6d4d-4958-8b9f-9d6445542f95",
          resourceData: {
            "@odata.type": "#Microsoft.Graph.Message",
            "@odata.id": "Users/{user_guid}@{tenant_guid}/Messages/{long_id_string}",
            "@odata.etag": 'W/"CQAAABYAAADkrWGo7bouTKlsgTZMr9KwAAAUWRHf"',
            id: "{long_id_string}",
          },
        },
      ],
    });
    expect(item).toEqual({
      kind: "change",
      subscriptionId: "7f105c7d-2dc5-4530-97cd-4e7ae6534c07",
      clientState: "secretClientValue",
      tenantId: "84bd8158-6d4d-4958-8b9f-9d6445542f95",
      changeType: "created",
      messageId: "{long_id_string}",
      resource: "users/{user_guid}@{tenant_guid}/messages/{long_id_string}",
    });
  });

  it.each(["reauthorizationRequired", "subscriptionRemoved", "missed"] as const)(
    "reads the %s lifecycle event",
    async (event) => {
      const { sub } = await subscribed(`${event}@contoso.ci`, "lc-state");
      const [item] = items(ms.lifecycleBody(sub.id, event));
      expect(item).toEqual({
        kind: "lifecycle",
        subscriptionId: sub.id,
        clientState: "lc-state",
        tenantId: expect.any(String),
        event,
      });
    },
  );

  it("keeps an undocumented lifecycle event as unknown instead of refusing the batch", () => {
    const [item] = items({
      value: [{ subscriptionId: "s1", clientState: "x", lifecycleEvent: "somethingNew" }],
    });
    expect(item).toMatchObject({ kind: "lifecycle", event: "unknown" });
  });

  it.each([
    ["a non-object", "hello"],
    ["no value array", { value: "x" }],
    ["null", null],
  ])("returns null for %s (not a notification collection)", (_label, body) => {
    expect(parseGraphNotifications(body)).toBeNull();
  });

  it("skips and counts malformed items, keeping the rest of the batch", () => {
    const good = {
      subscriptionId: "s",
      clientState: "x",
      changeType: "created",
      resource: "r",
      resourceData: { id: "m" },
    };
    const parsed = parseGraphNotifications({
      value: [
        { subscriptionId: "s", changeType: "created", resource: "r" },
        good,
        { changeType: "created", resource: "r", resourceData: { id: "m" } },
        "garbage",
      ],
    });
    expect(parsed).toMatchObject({ malformed: 3, truncated: 0, items: [{ kind: "change", messageId: "m" }] });
    expect(parseGraphNotifications({ value: [] })).toEqual({ items: [], malformed: 0, truncated: 0 });
  });

  it(`reads at most ${MAX_GRAPH_BATCH_ITEMS} items and counts the rest`, () => {
    const item = { subscriptionId: "s", lifecycleEvent: "missed" };
    const parsed = parseGraphNotifications({
      value: Array.from({ length: MAX_GRAPH_BATCH_ITEMS + 25 }, () => item),
    });
    expect(parsed?.items).toHaveLength(MAX_GRAPH_BATCH_ITEMS);
    expect(parsed?.truncated).toBe(25);
  });
});

describe("clientStateMatches", () => {
  it("accepts only the exact secret", () => {
    expect(clientStateMatches("s3cret-value", "s3cret-value")).toBe(true);
    expect(clientStateMatches("s3cret-value", "s3cret-valuE")).toBe(false);
    expect(clientStateMatches("s3cret-value", "s3cret")).toBe(false);
    expect(clientStateMatches("s3cret-value", "s3cret-value-and-more")).toBe(false);
    expect(clientStateMatches("s3cret-value", null)).toBe(false);
    expect(clientStateMatches(null, null)).toBe(false);
    expect(clientStateMatches("", "")).toBe(false);
  });
});

describe("validationResponse", () => {
  it("returns the URL-decoded validation token Graph sends", () => {
    const token =
      "Validation: Testing client application reachability for subscription Request-Id: 3b3f9821-ce3f-23d9-879b-00a23f3 ";
    const request = ms.validationRequest("https://app.fluxasync.test/api/webhooks/outlook", token);
    expect(request.url).toContain("validationToken=Validation%3A%20Testing");
    expect(validationResponse(new URL(request.url))).toBe(token);
  });

  it("decodes + as a space and returns null without a token", () => {
    expect(validationResponse(new URL("https://x.test/h?validationToken=a+b%2Bc"))).toBe("a b+c");
    expect(validationResponse(new URL("https://x.test/h"))).toBeNull();
    expect(validationResponse(new URL("https://x.test/h?validationToken="))).toBeNull();
  });
});
