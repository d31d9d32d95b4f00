import { describe, expect, it } from "vitest";
import type { Organization } from "@/lib/db/schemas";
import { allowedActions } from "@/lib/jobs/message-analyze";

const org = (settings: Partial<Organization> = {}): Organization => ({
  id: "o1",
  name: "Sahel Négoce",
  locale: "fr",
  timezone: "Africa/Abidjan",
  autoLabel: false,
  autoMarkSpamRead: true,
  autoArchiveSpam: true,
  autoArchivePromotions: false,
  escalationCopy: "delayed",
  onboardedAt: null,
  createdAt: new Date(),
  ...settings,
});

describe("allowedActions", () => {
  it("archives spam as allowed, but leaves « Promotions » in the inbox by default", () => {
    expect(allowedActions(org(), { priority: "spam", category: "promotion" })).toEqual([
      { kind: "mark_read" },
      { kind: "archive" },
    ]);
    expect(allowedActions(org(), { priority: "informational", category: "promotion" })).toEqual([]);
  });

  it("archives « Promotions » only when the organization asks, and nothing else informational", () => {
    const asked = org({ autoArchivePromotions: true });
    expect(allowedActions(asked, { priority: "informational", category: "promotion" })).toEqual([
      { kind: "archive" },
    ]);
    expect(allowedActions(asked, { priority: "informational", category: "newsletter" })).toEqual([]);
  });
});
