import { describe, expect, it } from "vitest";
import { safeEqual, sha256Hex } from "@/lib/http/constant-time";

describe("safeEqual", () => {
  it("is true only for the same secret", () => {
    expect(safeEqual("s3cret-cron-token-value", "s3cret-cron-token-value")).toBe(true);
    expect(safeEqual("s3cret-cron-token-value", "s3cret-cron-token-valuf")).toBe(false);
    expect(safeEqual("S3cret-cron-token-value", "s3cret-cron-token-value")).toBe(false);
  });

  it("compares secrets of different lengths without throwing", () => {
    expect(safeEqual("short", "a-much-longer-secret-value")).toBe(false);
    expect(safeEqual("s3cret-cron-token-value", "s3cret-cron-token-value-and-more")).toBe(false);
    expect(safeEqual("s3cret-cron-token-value-and-more", "s3cret-cron-token-value")).toBe(false);
  });

  it("never matches a missing or empty value, even against another empty one", () => {
    expect(safeEqual("", "")).toBe(false);
    expect(safeEqual(null, null)).toBe(false);
    expect(safeEqual(undefined, "x")).toBe(false);
    expect(safeEqual("x", undefined)).toBe(false);
    expect(safeEqual("", "x")).toBe(false);
  });
});

describe("sha256Hex", () => {
  it("hashes as sha256, hex encoded", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
