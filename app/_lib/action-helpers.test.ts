import { describe, expect, it } from "vitest";
import { returnPath, userErrorKey, withMessage } from "@/app/_lib/action-helpers";
import { AppError } from "@/lib/errors/app-error";

const form = (returnTo: string) => {
  const f = new FormData();
  f.set("returnTo", returnTo);
  return f;
};

describe("action helpers", () => {
  it("only sends users back to our own pages", () => {
    expect(returnPath(form("/settings#recipients"), "/x")).toBe("/settings#recipients");
    expect(returnPath(form("/onboarding?step=2"), "/x")).toBe("/onboarding?step=2");
    expect(returnPath(form("//evil.example/settings"), "/x")).toBe("/x");
    expect(returnPath(form("https://evil.example"), "/x")).toBe("/x");
    expect(returnPath(form("/settingsevil"), "/x")).toBe("/x");
  });

  it("puts the message before the fragment and replaces an older one", () => {
    expect(withMessage("/settings?error=old#recipients", "notice", "saved")).toBe(
      "/settings?notice=saved#recipients",
    );
    expect(withMessage("/onboarding?step=2", "error", "phone")).toBe("/onboarding?step=2&error=phone");
  });

  it("maps the database's rate limit to a message and rethrows the unexpected", () => {
    expect(userErrorKey(new AppError("db_429", "Too many codes"))).toBe("rateLimited");
    expect(() => userErrorKey(new Error("boom"))).toThrow("boom");
  });
});
