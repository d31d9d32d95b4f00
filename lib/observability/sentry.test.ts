import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { parseDsn, sendToSentry } from "@/lib/observability/sentry";
import { server } from "@/lib/testing/msw";

describe("sentry", () => {
  it("derives the envelope endpoint from a DSN and rejects malformed ones", () => {
    expect(parseDsn("https://abc123@o42.ingest.sentry.io/4505")).toMatchObject({
      endpoint: "https://o42.ingest.sentry.io/api/4505/envelope/",
      publicKey: "abc123",
    });
    expect(parseDsn("https://abc@self.hosted/sentry/7")?.endpoint).toBe(
      "https://self.hosted/sentry/api/7/envelope/",
    );
    expect(parseDsn("not a dsn")).toBeNull();
    expect(parseDsn("https://o42.ingest.sentry.io/4505")).toBeNull();
  });

  it("sends an envelope with the event and nothing but what it was given", async () => {
    let auth = "";
    let lines: string[] = [];
    server.use(
      http.post("https://o42.ingest.sentry.io/api/4505/envelope/", async ({ request }) => {
        auth = request.headers.get("x-sentry-auth") ?? "";
        lines = (await request.text()).split("\n");
        return HttpResponse.json({ id: "x" });
      }),
    );
    const target = parseDsn("https://abc123@o42.ingest.sentry.io/4505")!;
    const ok = await sendToSentry(target, {
      event: "job.failed",
      error: { name: "ProviderUnavailableError", message: "gmail 503" },
      tags: { kind: "mailbox.sync" },
      release: "0.1.0",
      environment: "production",
    });
    expect(ok).toBe(true);
    expect(auth).toContain("sentry_key=abc123");
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[1]!)).toEqual({ type: "event" });
    const event = JSON.parse(lines[2]!);
    expect(event).toMatchObject({
      level: "error",
      message: { formatted: "job.failed" },
      tags: { kind: "mailbox.sync" },
    });
    expect(event.exception.values[0]).toEqual({ type: "ProviderUnavailableError", value: "gmail 503" });
  });

  it("never throws when Sentry is down", async () => {
    server.use(http.post("https://o42.ingest.sentry.io/api/4505/envelope/", () => HttpResponse.error()));
    const ok = await sendToSentry(parseDsn("https://k@o42.ingest.sentry.io/4505")!, {
      event: "x",
      release: "1",
      environment: "test",
    });
    expect(ok).toBe(false);
  });
});
