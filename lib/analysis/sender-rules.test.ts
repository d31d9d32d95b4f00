import { describe, expect, it } from "vitest";
import { matchSenderRule, senderRuleEffect } from "@/lib/analysis/sender-rules";

describe("matchSenderRule", () => {
  const rules = [
    { pattern: "@banque.ci", kind: "vip" as const },
    { pattern: "promo@banque.ci", kind: "muted" as const },
    { pattern: "@spam.example", kind: "blocked" as const },
    { pattern: "@spam.example", kind: "vip" as const },
  ];

  it("matches an address exactly, case-insensitively", () => {
    expect(matchSenderRule("Promo@Banque.CI", rules)?.kind).toBe("muted");
  });

  it("matches a domain and its subdomains, not look-alikes", () => {
    expect(matchSenderRule("dg@banque.ci", rules)?.kind).toBe("vip");
    expect(matchSenderRule("dg@agence.banque.ci", rules)?.kind).toBe("vip");
    expect(matchSenderRule("dg@fausse-banque.ci", rules)).toBeNull();
  });

  it("prefers blocked over VIP at equal specificity", () => {
    expect(matchSenderRule("x@spam.example", rules)?.kind).toBe("blocked");
  });
});

describe("senderRuleEffect", () => {
  it("raises VIP mail to important, or critical with money or a deadline", () => {
    expect(senderRuleEffect({ kind: "vip" }, { priority: "informational" }, false).priority).toBe(
      "important",
    );
    expect(senderRuleEffect({ kind: "vip" }, { priority: "spam" }, true).priority).toBe("critical");
    expect(senderRuleEffect({ kind: "vip" }, { priority: "critical" }, false)).toEqual({
      priority: "critical",
      changed: false,
    });
  });

  it("lowers muted mail to informational and makes blocked mail spam", () => {
    expect(senderRuleEffect({ kind: "muted" }, { priority: "critical" }, true).priority).toBe(
      "informational",
    );
    expect(senderRuleEffect({ kind: "muted" }, { priority: "spam" }, false).priority).toBe("spam");
    expect(senderRuleEffect({ kind: "blocked" }, { priority: "critical" }, true).priority).toBe("spam");
  });
});
