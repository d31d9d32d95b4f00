import { describe, expect, it } from "vitest";
import { outboxHref, outboxViewOf } from "@/app/_lib/outbox-params";

const id = "0b6e4f00-1111-4222-8333-444455556666";

describe("the outbox's place in the dashboard URL", () => {
  it("reads a conversation and a cursor, and drops what is malformed", () => {
    expect(outboxViewOf({ outbox: id, outboxBefore: `2026-12-01T10:00:00.123456+00:00~${id}` })).toEqual({
      recipientId: id,
      before: { at: "2026-12-01T10:00:00.123456+00:00", id },
    });
    expect(outboxViewOf({ outbox: "x'; drop", outboxBefore: "yesterday" })).toEqual({
      recipientId: null,
      before: null,
    });
  });

  it("keeps the email filters and drops the last notice", () => {
    const href = outboxHref(
      { priority: "critical", notice: "buttonPressed", outboxBefore: "old" },
      { recipientId: id, before: { at: "2026-12-01T10:00:00.5Z", id } },
    );
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/dashboard");
    expect(url.hash).toBe("#outbox");
    expect(url.searchParams.get("priority")).toBe("critical");
    expect(url.searchParams.get("notice")).toBeNull();
    expect(url.searchParams.get("outbox")).toBe(id);
    expect(outboxViewOf(Object.fromEntries(url.searchParams)).before).toEqual({
      at: "2026-12-01T10:00:00.5Z",
      id,
    });
  });
});
