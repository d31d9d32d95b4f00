import { describe, expect, it } from "vitest";
import { whatsAppChannel } from "@/lib/channels/whatsapp/channel";
import { isWindowOpen } from "@/lib/channels/whatsapp/window";

const now = new Date("2026-11-24T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe("24-hour window", () => {
  it("is open after a recent inbound message", () => {
    expect(isWindowOpen(hoursAgo(1), now)).toBe(true);
    expect(isWindowOpen(hoursAgo(23.9), now)).toBe(true);
    expect(whatsAppChannel.window(hoursAgo(2), now)).toBe("open");
  });

  it("is closed without any inbound message, after 24 h, and in the last minute before", () => {
    expect(isWindowOpen(null, now)).toBe(false);
    expect(isWindowOpen(hoursAgo(24), now)).toBe(false);
    expect(isWindowOpen(hoursAgo(48), now)).toBe(false);
    expect(isWindowOpen(new Date(now.getTime() - 24 * 3_600_000 + 30_000), now)).toBe(false);
    expect(whatsAppChannel.window(null, now)).toBe("closed");
    expect(whatsAppChannel.window(hoursAgo(25), now)).toBe("closed");
  });

  it("treats an inbound time slightly in the future (clock skew) as open", () => {
    expect(isWindowOpen(new Date(now.getTime() + 5_000), now)).toBe(true);
  });
});
