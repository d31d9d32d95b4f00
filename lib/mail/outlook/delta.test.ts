import { HttpResponse, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { ProviderUnavailableError, RateLimitedError, TokenExpiredError } from "@/lib/mail/errors";
import { delta, initialDeltaUrl } from "@/lib/mail/outlook/delta";
import { createMicrosoftFake } from "@/lib/testing/microsoft-fake";
import { server } from "@/lib/testing/msw";

const ms = createMicrosoftFake();
const since = new Date(Date.now() - 24 * 3_600_000);

beforeEach(() => {
  server.use(...ms.handlers);
  ms.settings.quirks = { duplicateEntries: false, ignoreChangeTypeFilter: false };
});

function mailbox(n: number, address = `user${Math.random()}@contoso.ci`) {
  const user = ms.addUser({ address });
  const ids = Array.from(
    { length: n },
    (_, i) =>
      ms.addMessage(user, {
        subject: `m${i}`,
        receivedDateTime: new Date(Date.now() - (n - i) * 60_000).toISOString(),
      }).id,
  );
  return { user, ids, token: ms.tokensFor(user).accessToken };
}

async function changes(token: string, link: string | null) {
  const result = await delta(token, link, { since });
  if (result.kind !== "changes") throw new Error("expected changes");
  return result;
}

describe("delta", () => {
  it("bounds the first round to recent mail, new messages only, ids and dates", () => {
    const url = new URL(initialDeltaUrl(new Date("2024-11-20T00:00:00.000Z")));
    expect(url.pathname).toBe("/v1.0/me/mailFolders/inbox/messages/delta");
    expect(url.searchParams.get("$filter")).toBe("receivedDateTime ge 2024-11-20T00:00:00.000Z");
    expect(url.searchParams.get("changeType")).toBe("created");
    expect(url.searchParams.get("$select")).toBe("id,receivedDateTime");
  });

  it("follows nextLinks to the deltaLink, then returns only what arrived since", async () => {
    const { user, ids, token } = mailbox(120);
    ms.addMessage(user, { receivedDateTime: new Date(Date.now() - 3 * 86_400_000).toISOString() }); // too old
    const before = ms.calls.delta ?? 0;
    const first = await changes(token, null);
    expect(ms.calls.delta! - before).toBe(3); // 50 + 50 + 20
    expect(new Set(first.entries.map((e) => e.id))).toEqual(new Set(ids));
    expect(first.deltaLink).toMatch(
      /^https:\/\/graph\.microsoft\.com\/v1\.0\/me\/mailfolders\('.+'\)\/messages\/delta\?\$deltatoken=/,
    );

    const a = ms.addMessage(user, { subject: "new a" });
    ms.updateMessage(user, ids[0]!, { isRead: true }); // not a new email
    const b = ms.addMessage(user, { subject: "new b" });
    const second = await changes(token, first.deltaLink);
    expect(second.entries.map((e) => e.id)).toEqual([a.id, b.id]);

    const third = await changes(token, second.deltaLink);
    expect(third.entries).toEqual([]);
  });

  it("returns each id once despite duplicates and created+updated pairs", async () => {
    const { user, token } = mailbox(2);
    const { deltaLink } = await changes(token, null);
    ms.settings.quirks = { duplicateEntries: true, ignoreChangeTypeFilter: true };
    const fresh = ms.addMessage(user, { subject: "pair" });
    ms.updateMessage(user, fresh.id, { categories: ["Rouge"] });
    const other = ms.addMessage(user, { subject: "dup" });
    const next = await changes(token, deltaLink);
    expect(next.entries.map((e) => e.id)).toEqual([fresh.id, other.id]);
  });

  it("skips @removed entries (documented payload)", async () => {
    server.use(
      http.get("https://graph.microsoft.com/v1.0/me/mailfolders/inbox/messages/delta", () =>
        HttpResponse.json({
          "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(message)",
          "@odata.deltaLink":
            "https://graph.microsoft.com/v1.0/me/mailfolders('AQMkADNkNAAAgEMAAAA')/messages/delta?$deltatoken=GwcBoTmPuoGNlgXgF1nyUNMXY",
          value: [
            {
              "@odata.type": "#microsoft.graph.message",
              id: "AAMkADk0MGFkODE3LWE4MmYtNDRhOS0Dh_6qB-pB2Sa2pUum19a6YAAKnLuxoAAA=",
              "@removed": { reason: "deleted" },
            },
            {
              "@odata.type": "#microsoft.graph.message",
              "@odata.etag": 'W/"CQAAABYAAAA"',
              id: "AAMkADNkNAAASq35xAAA=",
            },
          ],
        }),
      ),
    );
    const result = await changes(
      "token",
      "https://graph.microsoft.com/v1.0/me/mailfolders/inbox/messages/delta",
    );
    expect(result.entries).toEqual([{ id: "AAMkADNkNAAASq35xAAA=", receivedDateTime: null }]);
  });

  it("reports an expired cursor: 410 SyncStateNotFound, or a link that is not Graph's", async () => {
    const { user, token } = mailbox(3);
    const { deltaLink } = await changes(token, null);
    ms.invalidateDeltaTokens(user);
    expect(await delta(token, deltaLink, { since })).toEqual({ kind: "expired" });
    expect(await delta(token, "https://evil.example/steal?$deltatoken=x", { since })).toEqual({
      kind: "expired",
    });
  });

  it("honours Retry-After on 429 and 503, and maps other failures", async () => {
    const { token } = mailbox(1);
    ms.failNext(1, { status: 429, retryAfterSeconds: 7 });
    await expect(delta(token, null, { since })).rejects.toMatchObject({
      constructor: RateLimitedError,
      retryAfterMs: 7000,
    });
    ms.failNext(1, { status: 503, retryAfterSeconds: 2 });
    await expect(delta(token, null, { since })).rejects.toMatchObject({
      constructor: RateLimitedError,
      retryAfterMs: 2000,
    });
    ms.failNext(1, { status: 503 });
    await expect(delta(token, null, { since })).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(delta("not-a-token", null, { since })).rejects.toBeInstanceOf(TokenExpiredError);
  });

  it("counts every Graph call through the meter", async () => {
    const { token } = mailbox(60);
    const calls: string[] = [];
    await delta(
      token,
      null,
      { since },
      { meter: (c) => calls.push(`${c.method} ${c.operation} ${c.status}`) },
    );
    expect(calls).toEqual(["GET delta 200", "GET delta 200"]);
  });
});
