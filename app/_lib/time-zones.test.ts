import { describe, expect, it } from "vitest";
import { TIME_ZONES, timeZoneLabel } from "@/app/_lib/time-zones";

const winter = new Date("2026-12-01T12:00:00Z");

describe("timeZoneLabel", () => {
  it("names a zone by its city and its abbreviation or offset, in the reader's language", () => {
    expect(timeZoneLabel("Africa/Abidjan", "en", winter)).toBe("Abidjan (GMT)");
    expect(timeZoneLabel("Africa/Abidjan", "fr", winter)).toBe("Abidjan (UTC+0)");
    expect(timeZoneLabel("Africa/Lagos", "fr", winter)).toBe("Lagos (UTC+1)");
    expect(timeZoneLabel("America/New_York", "en", winter)).toBe("New York (GMT-5)");
  });

  it("follows summer time", () => {
    expect(timeZoneLabel("Europe/Paris", "fr", new Date("2026-07-01T12:00:00Z"))).toBe("Paris (UTC+2)");
  });

  it("never shows a raw IANA id for the zones offered", () => {
    for (const zone of TIME_ZONES) {
      const label = timeZoneLabel(zone, "fr", winter);
      expect(label, zone).not.toMatch(/\/|_/);
    }
    expect(timeZoneLabel("UTC", "en", winter)).toBe("UTC");
  });

  it("shows an unknown stored zone as it is instead of failing the page", () => {
    expect(timeZoneLabel("Mars/Olympus", "fr", winter)).toBe("Mars/Olympus");
  });
});
