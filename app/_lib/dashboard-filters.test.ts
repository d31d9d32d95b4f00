import { describe, expect, it } from "vitest";
import { cursorOf, filterHref, filterParamsSchema, toMessageFilters } from "@/app/_lib/dashboard-filters";

describe("dashboard filters", () => {
  it("keeps valid filters and drops malformed ones instead of failing the page", () => {
    const p = filterParamsSchema.parse({
      priority: "critical",
      status: "nonsense",
      from: "2026-11-20",
      to: "20/11/2026",
      q: "  banque  ",
      before: "x",
    });
    expect(p).toEqual({
      priority: "critical",
      status: undefined,
      from: "2026-11-20",
      to: undefined,
      q: "banque",
      before: undefined,
    });
  });

  it("turns days into an inclusive range in the organization's time zone", () => {
    const f = toMessageFilters(
      filterParamsSchema.parse({ from: "2026-11-20", to: "2026-11-21" }),
      "Africa/Lagos",
    );
    expect(f.from?.toISOString()).toBe("2026-11-19T23:00:00.000Z");
    expect(f.to?.toISOString()).toBe("2026-11-21T23:00:00.000Z");
  });

  it("round-trips the keyset cursor and keeps filters in page links", () => {
    const id = "0b9c4f8e-4a5e-4d4b-9b1e-2f0a7c1d9e11";
    const c = cursorOf({ sortKey: new Date("2026-11-20T10:00:00Z"), id });
    const p = filterParamsSchema.parse({ priority: "important", before: c });
    expect(toMessageFilters(p, "Africa/Abidjan").before).toEqual({
      receivedAt: new Date("2026-11-20T10:00:00Z"),
      id,
    });
    expect(new URL(filterHref(p, c), "http://x").searchParams.get("before")).toBe(c);
    expect(filterHref({ ...p, before: undefined })).toBe("/dashboard?priority=important");
  });
});
