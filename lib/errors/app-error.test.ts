import { describe, expect, it, vi } from "vitest";
import { AppError, isAppError, userMessageKey } from "@/lib/errors/app-error";
import { ERROR_CODES } from "@/lib/errors/codes";
import { errorResponse } from "@/lib/http/route";
import { translator } from "@/lib/i18n/catalogue";
import { logger } from "@/lib/log";

/** A second copy of the module, as a separately bundled route or action would hold. */
async function otherBundle() {
  vi.resetModules();
  return import("@/lib/errors/app-error");
}

describe("AppError identity", () => {
  it("is recognised by code from another copy of the class, where instanceof says no", async () => {
    const copy = await otherBundle();
    const error = new copy.AppError("db_429", "Too many codes requested: wait an hour.");
    expect(error instanceof AppError).toBe(false);
    expect(isAppError(error)).toBe(true);
    expect(isAppError(error, "db_429")).toBe(true);
    expect(isAppError(error, "not_found")).toBe(false);
    expect(userMessageKey(error)).toBe("rateLimited");
    const res = errorResponse(error, logger());
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ error: "db_429", message: "Too many codes requested: wait an hour." });
  });

  it("is not fooled by a look-alike without the brand, nor by an unknown code", () => {
    expect(isAppError({ code: "not_found", status: 404, message: "x" })).toBe(false);
    expect(isAppError(new Error("not_found"))).toBe(false);
    const forged = Object.assign(new AppError("not_found", "x"), { code: "nope" });
    expect(isAppError(forged)).toBe(false);
  });

  it("every catalogue key a code carries exists in French and English", () => {
    for (const locale of ["fr", "en"] as const) {
      const t = translator(locale, "web");
      for (const [code, { key }] of Object.entries(ERROR_CODES)) {
        if (key === null) continue;
        const text = t(`errors.${key}`);
        expect(text, `${locale} errors.${key} (${code})`).not.toContain("errors.");
      }
    }
  });
});
