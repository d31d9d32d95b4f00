import { describe, expect, it } from "vitest";
import type { Priority } from "@/lib/domain/vocabulary";
import { alertsRecipient, holdUntil, type RoutedRecipient, skipReason } from "@/lib/pipeline/routing";

const recipient = (over: Partial<RoutedRecipient> = {}): RoutedRecipient => ({
  status: "opted_in",
  minPriority: "important",
  categories: null,
  quietStartMinute: null,
  quietEndMinute: null,
  criticalBypassesQuiet: true,
  timezone: "Africa/Abidjan",
  ...over,
});
const message = (priority: Priority | null, category: string | null = "contract") => ({
  priority,
  category,
  handledAt: null,
});

describe("routing table: does an analysed email alert a recipient?", () => {
  it.each([
    // priority, recipient, alerted
    ["critical", {}, true],
    ["important", {}, true],
    ["informational", {}, false], // the digest's, not an alert
    ["spam", {}, false],
    ["informational", { minPriority: "informational" }, false], // never an interruption
    ["important", { minPriority: "critical" }, false],
    ["critical", { minPriority: "critical" }, true],
    ["critical", { status: "pending" }, false],
    ["critical", { status: "opted_out" }, false],
    ["critical", { status: "undeliverable" }, false],
    ["critical", { categories: ["tax"] }, false],
    ["critical", { categories: ["tax", "contract"] }, true],
    ["critical", { categories: [] }, true],
  ] as const)("%s to %o → %s", (priority, over, alerted) => {
    expect(alertsRecipient(message(priority), recipient(over as Partial<RoutedRecipient>))).toBe(alerted);
  });

  it("an email with no category reaches only recipients without a category filter", () => {
    expect(alertsRecipient(message("critical", null), recipient({ categories: ["tax"] }))).toBe(false);
    expect(alertsRecipient(message("critical", null), recipient())).toBe(true);
    expect(alertsRecipient(message(null), recipient())).toBe(false);
  });
});

describe("at send time", () => {
  const alert = { kind: "alert" as const, isReply: false };
  const reply = { kind: "notice" as const, isReply: true };

  it("skips what must not go out any more", () => {
    expect(skipReason(alert, recipient(), message("critical"))).toBeNull();
    expect(skipReason(alert, { status: "opted_out" }, message("critical"))).toBe("recipient opted_out");
    expect(skipReason(reply, { status: "opted_out" }, null)).toBeNull(); // STOP's confirmation
    expect(skipReason(reply, { status: "undeliverable" }, null)).toBe("recipient undeliverable");
    const handled = { ...message("critical"), handledAt: new Date() };
    expect(skipReason(alert, recipient(), handled)).toBe("message already handled");
    expect(skipReason({ kind: "notice", isReply: false }, recipient(), handled)).toBeNull();
  });

  it("holds for quiet hours, except critical mail for a recipient who lets it through, and replies", () => {
    const night = new Date("2026-12-01T23:30:00Z"); // Abidjan is UTC+0
    const quiet = recipient({ quietStartMinute: 22 * 60, quietEndMinute: 7 * 60 });
    const morning = new Date("2026-12-02T07:00:00Z");
    expect(holdUntil(alert, quiet, message("important"), night)).toEqual(morning);
    expect(holdUntil(alert, quiet, message("critical"), night)).toBeNull();
    expect(holdUntil(alert, { ...quiet, criticalBypassesQuiet: false }, message("critical"), night)).toEqual(
      morning,
    );
    expect(holdUntil(reply, quiet, null, night)).toBeNull();
    expect(holdUntil(alert, quiet, message("important"), new Date("2026-12-01T12:00:00Z"))).toBeNull();
  });
});
