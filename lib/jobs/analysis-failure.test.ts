import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { WorkBudgetExceeded } from "@/lib/analysis/cooperate";
import { AppError } from "@/lib/errors/app-error";
import { deterministicFailure } from "@/lib/jobs/analysis-failure";
import { RetryLater } from "@/lib/jobs/outcome";
import { ProviderUnavailableError, RateLimitedError } from "@/lib/mail/errors";

describe("deterministicFailure", () => {
  it("recognises what the same email meets on every attempt", () => {
    const nul = new AppError("db_error", "unsupported Unicode escape sequence", { pgCode: "22P05" });
    expect(deterministicFailure(nul, "save")).toBe("data");
    expect(deterministicFailure(new AppError("invalid", "check"), "save")).toBe("data");
    expect(deterministicFailure(new AppError("db_contract", "shape"), "save")).toBe("schema");
    expect(deterministicFailure(new ZodError([]), "fetch")).toBe("schema");
    expect(deterministicFailure(new RangeError("Maximum call stack size exceeded"), "fetch")).toBe("size");
    expect(deterministicFailure(new TypeError("x is not a function"), "analyze")).toBe("analysis");
  });

  it("leaves to the retries what may pass: the provider, the network, a time limit, a database that is down", () => {
    const down = new AppError("db_error", "connect ECONNREFUSED", { pgCode: "ECONNREFUSED" });
    expect(deterministicFailure(down, "save")).toBeNull();
    expect(deterministicFailure(new RetryLater(30), "analyze")).toBeNull();
    expect(deterministicFailure(new RateLimitedError("gmail", 1000), "analyze")).toBeNull();
    expect(deterministicFailure(new ProviderUnavailableError("gmail", 503), "analyze")).toBeNull();
    expect(deterministicFailure(new TypeError("fetch failed"), "analyze")).toBeNull();
    expect(deterministicFailure(new DOMException("timed out", "TimeoutError"), "analyze")).toBeNull();
    // The analysis's own work budget: a loaded machine, not the email, may be why it ran out.
    expect(deterministicFailure(new WorkBudgetExceeded(20_000), "analyze")).toBeNull();
    expect(deterministicFailure(new TypeError("x is not a function"), "fetch")).toBeNull();
  });
});
