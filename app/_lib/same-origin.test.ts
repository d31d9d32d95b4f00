import { describe, expect, it } from "vitest";
import { isSameOrigin } from "@/app/_lib/same-origin";

const post = (headers: Record<string, string>) =>
  new Request("http://127.0.0.1:3000/api/auth/logout", { method: "POST", headers });

describe("isSameOrigin", () => {
  it("accepts our own pages and clients that send no Origin", () => {
    expect(isSameOrigin(post({ origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }))).toBe(true);
    expect(isSameOrigin(post({ host: "127.0.0.1:3000" }))).toBe(true);
  });

  it("refuses a form posted from another site", () => {
    expect(isSameOrigin(post({ origin: "https://evil.example", host: "127.0.0.1:3000" }))).toBe(false);
    expect(isSameOrigin(post({ origin: "null", host: "127.0.0.1:3000" }))).toBe(false);
  });

  it("does not let a request name its own host with X-Forwarded-Host, unless on Vercel", () => {
    const forged = post({
      origin: "https://evil.example",
      host: "app.fluxasync.test",
      "x-forwarded-host": "evil.example",
    });
    // The default outside Vercel (the tests do not set VERCEL): the header is ignored.
    expect(isSameOrigin(forged)).toBe(false);
    const behindVercel = post({
      origin: "https://app.example.com",
      host: "internal:3000",
      "x-forwarded-host": "app.example.com",
    });
    expect(isSameOrigin(behindVercel, { trustForwardedHost: true })).toBe(true);
    expect(isSameOrigin(behindVercel, { trustForwardedHost: false })).toBe(false);
  });
});
