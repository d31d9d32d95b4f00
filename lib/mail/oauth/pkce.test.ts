import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createPkce, randomState, s256Challenge } from "@/lib/mail/oauth/pkce";

describe("createPkce", () => {
  it("makes a 43-character unreserved verifier and its S256 challenge", () => {
    const pkce = createPkce();
    expect(pkce.method).toBe("S256");
    expect(pkce.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const expected = createHash("sha256").update(pkce.verifier).digest("base64url");
    expect(pkce.challenge).toBe(expected);
    expect(pkce.challenge).not.toMatch(/[=+/]/);
  });

  it("matches the RFC 7636 appendix B example", () => {
    expect(s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("never repeats", () => {
    const verifiers = new Set(Array.from({ length: 50 }, () => createPkce().verifier));
    expect(verifiers.size).toBe(50);
  });
});

describe("randomState", () => {
  it("is 256 bits of base64url and unique", () => {
    const a = randomState();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomState()).not.toBe(a);
  });
});
