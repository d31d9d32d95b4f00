import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import type { PGliteDb } from "@/lib/db/pglite";
import { GOOGLE_CERTS_URL } from "@/lib/mail/gmail/google-endpoints";
import type { GoogleFake } from "@/lib/testing/google-fake";
import { server } from "@/lib/testing/msw";
import { count, postPush, setUpGmailSuite } from "@/tests/gmail-harness";

// Its own file: Google's key set is cached per process, and these tests need a process that has
// never fetched it.
let db: PGliteDb;
let fake: GoogleFake;
setUpGmailSuite({
  ready: (suite) => {
    db = suite.db;
    fake = suite.fake;
  },
});

describe("POST /api/webhooks/gmail while Google's key set is unreachable", () => {
  it("answers a forgery 401 without fetching keys, and a push claiming to be ours 503 so Pub/Sub redelivers", async () => {
    let fetched = 0;
    server.use(
      http.get(GOOGLE_CERTS_URL, () => {
        fetched++;
        return HttpResponse.error();
      }),
    );
    const envelope = fake.pushEnvelope("direction@sahel-negoce.ci");
    for (const forged of [
      await fake.mintPushToken({ audience: "https://evil.example/hook" }),
      await fake.mintPushToken({ email: "x@evil.iam.gserviceaccount.com" }),
      await fake.mintPushToken({ expiresInSeconds: -600 }),
    ]) {
      expect((await postPush(envelope, forged)).status).toBe(401);
    }
    expect(fetched).toBe(0);

    const res = await postPush(envelope, await fake.mintPushToken());
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(fetched).toBeGreaterThan(0);
    expect(await count(db, "select 1 from jobs")).toBe(0);
    // Token signing (RSA) is slow on a loaded machine.
  }, 120_000);
});
