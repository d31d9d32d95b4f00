import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProviderRequestError } from "@/lib/mail/errors";
import { validationResponse } from "@/lib/mail/outlook/notifications";
import {
  createSubscription,
  deleteSubscription,
  INBOX_RESOURCE,
  renewSubscription,
  SubscriptionGoneError,
} from "@/lib/mail/outlook/subscriptions";
import { createMicrosoftFake } from "@/lib/testing/microsoft-fake";
import { server } from "@/lib/testing/msw";

const ms = createMicrosoftFake();
const WEBHOOK = "https://app.fluxasync.test/api/webhooks/outlook";
const MINUTE = 60_000;

beforeEach(() => {
  server.use(...ms.handlers);
});
afterEach(() => {
  ms.settings.maxSubscriptionMinutes = 10_080;
  ms.setValidator(null);
});

function connected() {
  const user = ms.addUser({ address: `u${Math.random()}@contoso.ci` });
  return ms.tokensFor(user).accessToken;
}
const params = { notificationUrl: WEBHOOK, lifecycleNotificationUrl: WEBHOOK, clientState: "c".repeat(43) };

describe("createSubscription", () => {
  it("subscribes to new inbox messages for just under 7 days", async () => {
    const now = Date.now();
    const sub = await createSubscription(connected(), { ...params, now });
    expect(sub.expiresAt).toBe(now + 10_070 * MINUTE);
    expect(ms.subscription(sub.id)).toMatchObject({
      resource: INBOX_RESOURCE,
      changeType: "created",
      notificationUrl: WEBHOOK,
      lifecycleNotificationUrl: WEBHOOK,
      clientState: params.clientState,
    });
    expect(ms.calls["subscriptions.create"]).toBeGreaterThanOrEqual(1);
  });

  it("steps down when Graph refuses the expiry", async () => {
    ms.settings.maxSubscriptionMinutes = 4230;
    const now = Date.now();
    const before = ms.calls["subscriptions.create"] ?? 0;
    const sub = await createSubscription(connected(), { ...params, now });
    expect(sub.expiresAt).toBe(now + 4230 * MINUTE);
    expect((ms.calls["subscriptions.create"] ?? 0) - before).toBe(2);
  });

  it("gives up with a request error when no lifetime is accepted", async () => {
    ms.settings.maxSubscriptionMinutes = 30;
    await expect(createSubscription(connected(), params)).rejects.toBeInstanceOf(ProviderRequestError);
  });

  it("passes Graph's validation handshake when the endpoint echoes the decoded token", async () => {
    const seen: string[] = [];
    ms.setValidator(async (request) => {
      const token = validationResponse(new URL(request.url));
      seen.push(token ?? "");
      return new Response(token, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
    });
    await createSubscription(connected(), params);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^Validation: Testing client application reachability/);

    ms.setValidator(
      async () => new Response("nope", { status: 200, headers: { "content-type": "text/plain" } }),
    );
    await expect(createSubscription(connected(), params)).rejects.toMatchObject({ status: 400 });
  });
});

describe("renewSubscription", () => {
  it("extends the expiry", async () => {
    const token = connected();
    const created = await createSubscription(token, params);
    const now = Date.now() + MINUTE;
    const renewed = await renewSubscription(token, created.id, { now });
    expect(renewed).toEqual({ id: created.id, expiresAt: now + 10_070 * MINUTE });
    expect(ms.subscription(created.id)?.expirationDateTime).toBe(
      new Date(now + 10_070 * MINUTE).toISOString(),
    );
  });

  it("throws SubscriptionGoneError when Graph removed the subscription", async () => {
    const token = connected();
    const created = await createSubscription(token, params);
    ms.removeSubscription(created.id);
    const error = await renewSubscription(token, created.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubscriptionGoneError);
    expect(error).toMatchObject({ subscriptionId: created.id });
  });
});

describe("deleteSubscription", () => {
  it("deletes, and ignores one that is already gone", async () => {
    const token = connected();
    const created = await createSubscription(token, params);
    await deleteSubscription(token, created.id);
    expect(ms.subscription(created.id)).toBeNull();
    await expect(deleteSubscription(token, created.id)).resolves.toBeUndefined();
  });
});
