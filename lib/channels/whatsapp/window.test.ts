import { describe, expect, it } from "vitest";
import { chooseDelivery, isWindowOpen } from "@/lib/channels/whatsapp/window";

const now = new Date("2026-11-24T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe("24-hour window", () => {
  it("is open after a recent inbound message", () => {
    expect(isWindowOpen(hoursAgo(1), now)).toBe(true);
    expect(isWindowOpen(hoursAgo(23.9), now)).toBe(true);
    expect(chooseDelivery(hoursAgo(2), now)).toBe("interactive");
  });

  it("is closed without any inbound message, after 24 h, and in the last minute before", () => {
    expect(isWindowOpen(null, now)).toBe(false);
    expect(isWindowOpen(hoursAgo(24), now)).toBe(false);
    expect(isWindowOpen(hoursAgo(48), now)).toBe(false);
    expect(isWindowOpen(new Date(now.getTime() - 24 * 3_600_000 + 30_000), now)).toBe(false);
    expect(chooseDelivery(null, now)).toBe("template");
    expect(chooseDelivery(hoursAgo(25), now)).toBe("template");
  });

  it("treats an inbound time slightly in the future (clock skew) as open", () => {
    expect(isWindowOpen(new Date(now.getTime() + 5_000), now)).toBe(true);
  });
});
