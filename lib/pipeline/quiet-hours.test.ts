import { describe, expect, it } from "vitest";
import { quietHoursEnd } from "@/lib/pipeline/quiet-hours";

const night = { quietStartMinute: 22 * 60, quietEndMinute: 7 * 60 };

describe("quiet hours", () => {
  it("holds until the local end of a window that wraps midnight (Abidjan, UTC+0)", () => {
    const q = { ...night, timezone: "Africa/Abidjan" };
    expect(quietHoursEnd(q, new Date("2026-12-01T23:30:00Z"))?.toISOString()).toBe(
      "2026-12-02T07:00:00.000Z",
    );
    expect(quietHoursEnd(q, new Date("2026-12-02T03:00:00Z"))?.toISOString()).toBe(
      "2026-12-02T07:00:00.000Z",
    );
    expect(quietHoursEnd(q, new Date("2026-12-02T07:00:00Z"))).toBeNull();
    expect(quietHoursEnd(q, new Date("2026-12-01T21:59:00Z"))).toBeNull();
  });

  it("reads the clock in the recipient's zone", () => {
    const lagos = { ...night, timezone: "Africa/Lagos" }; // UTC+1
    expect(quietHoursEnd(lagos, new Date("2026-12-01T21:30:00Z"))?.toISOString()).toBe(
      "2026-12-02T06:00:00.000Z",
    );
    const newYork = { ...night, timezone: "America/New_York" }; // UTC-5 in December
    expect(quietHoursEnd(newYork, new Date("2026-12-01T23:30:00Z"))).toBeNull();
    expect(quietHoursEnd(newYork, new Date("2026-12-02T04:00:00Z"))?.toISOString()).toBe(
      "2026-12-02T12:00:00.000Z",
    );
  });

  it("handles a daytime window and no window at all", () => {
    const q = { quietStartMinute: 12 * 60, quietEndMinute: 14 * 60 + 30, timezone: "Africa/Abidjan" };
    expect(quietHoursEnd(q, new Date("2026-12-01T13:00:00Z"))?.toISOString()).toBe(
      "2026-12-01T14:30:00.000Z",
    );
    expect(quietHoursEnd(q, new Date("2026-12-01T15:00:00Z"))).toBeNull();
    const none = { quietStartMinute: null, quietEndMinute: null, timezone: "Africa/Abidjan" };
    expect(quietHoursEnd(none, new Date("2026-12-01T23:00:00Z"))).toBeNull();
  });

  it("ends at the local time across a daylight-saving change (Paris, 29 March 2026)", () => {
    const q = { quietStartMinute: 22 * 60, quietEndMinute: 7 * 60, timezone: "Europe/Paris" };
    // 23:00 CET on the 28th; clocks jump to CEST overnight, so 07:00 local is 05:00 UTC.
    expect(quietHoursEnd(q, new Date("2026-03-28T22:00:00Z"))?.toISOString()).toBe(
      "2026-03-29T05:00:00.000Z",
    );
  });
});
