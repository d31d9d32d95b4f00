import { beforeEach, describe, expect, it } from "vitest";
import { RateLimitedError } from "@/lib/mail/errors";
import { getMessage } from "@/lib/mail/outlook/api";
import { createMicrosoftFake, type FakeUser } from "@/lib/testing/microsoft-fake";
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
