import { describe, expect, it } from "vitest";
import type { AutoReplyRule } from "@/lib/db/auto-replies";
import { matchingRule } from "@/lib/replies/auto-reply-rules";

const rule = (r: Partial<AutoReplyRule>): AutoReplyRule => ({
  id: "r1",
  templateId: "t1",
  enabled: true,
  senderPattern: null,
  vipOnly: false,
  category: null,
  minPriority: "important",
  hours: "always",
  workStartMinute: 480,
  workEndMinute: 1080,
  createdAt: new Date(),
  ...r,
});
const email = { priority: "critical" as const, category: "contract", fromAddress: "koffi@client.ci" };
// Tuesday 1 December 2026, Abidjan (UTC+0).
const tuesday = (hh: number) => new Date(`2026-12-01T${String(hh).padStart(2, "0")}:30:00Z`);
const match = (
  r: Partial<AutoReplyRule>,
  now = tuesday(10),
  quiet: Parameters<typeof matchingRule>[5] = null,
) => matchingRule([rule(r)], email, null, now, "Africa/Abidjan", quiet)?.id ?? null;

describe("which rule answers an email", () => {
  it("matches the sender's address or domain, the category and the minimum priority", () => {
    expect(match({ senderPattern: "@client.ci" })).toBe("r1");
    expect(match({ senderPattern: "koffi@client.ci" })).toBe("r1");
    expect(match({ senderPattern: "@autre.ci" })).toBeNull();
    expect(match({ category: "payment" })).toBeNull();
    expect(match({ minPriority: "critical" })).toBe("r1");
    expect(match({ enabled: false })).toBeNull();
    expect(match({ vipOnly: true })).toBeNull();
  });

  it("answers outside working hours only outside them, weekends included", () => {
    expect(match({ hours: "outside_work" }, tuesday(10))).toBeNull();
    expect(match({ hours: "outside_work" }, tuesday(19))).toBe("r1");
    expect(match({ hours: "outside_work" }, new Date("2026-12-05T10:30:00Z"))).toBe("r1");
  });

  it("answers during the owner's quiet hours, and never without them", () => {
    const night = { quietStartMinute: 22 * 60, quietEndMinute: 7 * 60, timezone: "Africa/Abidjan" };
    expect(match({ hours: "quiet_hours" }, tuesday(23), night)).toBe("r1");
    expect(match({ hours: "quiet_hours" }, tuesday(10), night)).toBeNull();
    expect(match({ hours: "quiet_hours" }, tuesday(23), null)).toBeNull();
    const none = { quietStartMinute: null, quietEndMinute: null, timezone: "Africa/Abidjan" };
    expect(match({ hours: "quiet_hours" }, tuesday(23), none)).toBeNull();
  });
});
