import { describe, expect, it } from "vitest";
import { cleanJson, cleanText } from "@/lib/domain/clean-text";

describe("cleanText", () => {
  it("drops NUL and C0 controls, keeps tab and newlines, repairs lone surrogates", () => {
    expect(cleanText("a\u0000b\u0007c\td\ne")).toBe("abc\td\ne");
    expect(cleanText("x\uD800y\uDC00z")).toBe("x\uFFFDy\uFFFDz");
    expect(cleanText("ok 😀 é")).toBe("ok 😀 é");
  });

  it("cleans every string of a parsed body, keys included, so jsonb accepts it", () => {
    const parsed = JSON.parse('{"a\\u0000":["\\u0000x","\\ud83d"],"n":1,"t":true,"z":null}');
    expect(cleanJson(parsed)).toEqual({ a: ["x", "\uFFFD"], n: 1, t: true, z: null });
    expect(JSON.stringify(cleanJson(parsed))).not.toMatch(/\\u0000|\\ud83d/);
  });
});
