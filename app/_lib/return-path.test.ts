import { describe, expect, it } from "vitest";
import { safeReturnPath } from "@/app/_lib/return-path";

const back = (value: unknown) => safeReturnPath(value, "/fallback");

describe("safeReturnPath", () => {
  it("keeps our pages with their query and fragment", () => {
    expect(back("/settings#recipients")).toBe("/settings#recipients");
    expect(back("/onboarding?step=2")).toBe("/onboarding?step=2");
    expect(back("/dashboard?priority=critical&q=contrat%20sign%C3%A9")).toBe(
      "/dashboard?priority=critical&q=contrat+sign%C3%A9",
    );
    expect(back("/dashboard/emails/7b0c2a8e-2f0e-4d6c-9a51-0f3f3c1f9a10")).toBe(
      "/dashboard/emails/7b0c2a8e-2f0e-4d6c-9a51-0f3f3c1f9a10",
    );
  });

  it("refuses every way out of the site, including the dot-segment walk", () => {
    for (const value of [
      "/settings/..//evil.example",
      "/settings/../..//evil.example/x",
      "/settings/%2e%2e//evil.example",
      "//evil.example/settings",
      "/\\\\evil.example/settings",
      "/\\evil.example",
      "https://evil.example/settings",
      "javascript:alert(1)",
      "/settingsevil",
      "/dashboard/emails/../../..//evil.example",
    ]) {
      expect(back(value), value).toBe("/fallback");
    }
  });

  it("normalises what it keeps, and refuses what is not one of our pages", () => {
    expect(back("/dashboard/../settings#organization")).toBe("/settings#organization");
    expect(back("/settings#<script>")).toBe("/settings");
    expect(back("/api/auth/logout")).toBe("/fallback");
    expect(back("/dashboard/emails/not-an-id")).toBe("/fallback");
    expect(back(null)).toBe("/fallback");
    expect(back(new File(["x"], "x.txt"))).toBe("/fallback");
  });
});
