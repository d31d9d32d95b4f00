import { describe, expect, it } from "vitest";
import { minPriorityChoices } from "@/app/_components/preference-fields";

describe("minPriorityChoices", () => {
  it("offers the priorities that alert: critical and important", () => {
    expect(minPriorityChoices("important")).toEqual(["critical", "important"]);
    expect(minPriorityChoices("critical")).toEqual(["critical", "important"]);
  });

  it("keeps a recipient's stored informational choice selectable, and never offers spam", () => {
    expect(minPriorityChoices("informational")).toEqual(["critical", "important", "informational"]);
    expect(minPriorityChoices("spam")).not.toContain("spam");
  });
});
