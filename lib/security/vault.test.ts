import { randomBytes } from "node:crypto";
import { decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { parseKeyRing } from "@/lib/security/key-ring";
import { open, openJson, seal, sealedKid, sealJson, VaultError } from "@/lib/security/vault";

const key = () => randomBytes(32).toString("base64");
const ring = parseKeyRing(`k2:${key()},k1:${key()}`);

/** Flips one bit of byte `i` of a base64url segment and re-encodes it: a real byte change. */
function flipByte(segment: string, i: number): string {
  const bytes = Buffer.from(segment, "base64url");
  bytes[i] = bytes[i]! ^ 0x01;
  return bytes.toString("base64url");
}

describe("vault", () => {
  it("opens what it sealed, with the current key", async () => {
    const secret = "ya29.a0AfH6SMB-access-token";
    const sealed = await seal(ring, secret);
    expect(sealed).not.toContain(secret);
    expect(await open(ring, sealed)).toBe(secret);
    expect(await openJson(ring, await sealJson(ring, { a: 1, b: ["x"] }))).toEqual({ a: 1, b: ["x"] });
  });

  it("writes a compact JWE with alg dir, enc A256GCM and the current kid", async () => {
    const sealed = await seal(ring, "x");
    expect(sealed.split(".")).toHaveLength(5);
    expect(sealed.split(".")[1]).toBe(""); // dir: no encrypted key
    expect(decodeProtectedHeader(sealed)).toMatchObject({ alg: "dir", enc: "A256GCM", kid: "k2" });
    expect(sealedKid(sealed)).toBe("k2");
  });

  it("uses a fresh IV each time, so equal tokens do not look equal", async () => {
    expect(await seal(ring, "same")).not.toBe(await seal(ring, "same"));
  });

  it("fails loudly on a flipped byte anywhere: header, IV, ciphertext or tag", async () => {
    const sealed = await seal(ring, "refresh-token-1//0gAbCdEf");
    const parts = sealed.split(".");
    let tried = 0;
    for (const index of [0, 2, 3, 4]) {
      const length = Buffer.from(parts[index]!, "base64url").length;
      for (let i = 0; i < length; i++) {
        const tampered = parts.map((p, j) => (j === index ? flipByte(p, i) : p)).join(".");
        await expect(open(ring, tampered), `segment ${index} byte ${i}`).rejects.toBeInstanceOf(VaultError);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(60);
  });

  it("rejects an encrypted key smuggled into a dir JWE, truncation and garbage", async () => {
    const sealed = await seal(ring, "x");
    const parts = sealed.split(".");
    const withKey = [parts[0], "AAAA", parts[2], parts[3], parts[4]].join(".");
    await expect(open(ring, withKey)).rejects.toBeInstanceOf(VaultError);
    await expect(open(ring, sealed.slice(0, -4))).rejects.toBeInstanceOf(VaultError);
    await expect(open(ring, "not a jwe")).rejects.toBeInstanceOf(VaultError);
    await expect(open(ring, "")).rejects.toBeInstanceOf(VaultError);
  });

  it("refuses a kid that is not in the ring, naming it", async () => {
    const other = parseKeyRing(`gone:${key()}`);
    const sealed = await seal(other, "x");
    await expect(open(ring, sealed)).rejects.toThrow(/"gone".*not in TOKEN_ENCRYPTION_KEYS/);
    await expect(open(ring, sealed)).rejects.toBeInstanceOf(VaultError);
  });

  it("refuses a known kid with the wrong key material", async () => {
    const impostor = parseKeyRing(`k2:${key()}`);
    await expect(open(ring, await seal(impostor, "x"))).rejects.toBeInstanceOf(VaultError);
  });

  it("decrypts with any key of the ring and encrypts with the first", async () => {
    const oldRing = parseKeyRing(`k1:${Buffer.from(ring.all.get("k1")!).toString("base64")}`);
    const old = await seal(oldRing, "old secret");
    expect(sealedKid(old)).toBe("k1");
    expect(await open(ring, old)).toBe("old secret");
    expect(sealedKid(await seal(ring, "new"))).toBe("k2");
  });
});

describe("key ring", () => {
  it("parses kid:base64 entries, first one current, spaces tolerated", () => {
    const a = key();
    const b = key();
    const parsed = parseKeyRing(` new:${a} , old:${b} `);
    expect(parsed.current.kid).toBe("new");
    expect(Buffer.from(parsed.current.key).toString("base64")).toBe(a);
    expect([...parsed.all.keys()]).toEqual(["new", "old"]);
  });

  it.each([
    ["empty", ""],
    ["no kid", `:${key()}`],
    ["no separator", key()],
    ["short key", `k:${randomBytes(16).toString("base64")}`],
    ["long key", `k:${randomBytes(48).toString("base64")}`],
    ["duplicate kid", `k:${key()},k:${key()}`],
  ])("rejects %s", (_name, spec) => {
    expect(() => parseKeyRing(spec)).toThrow(AppError);
    try {
      parseKeyRing(spec);
    } catch (error) {
      expect((error as AppError).code).toBe("bad_key_ring");
      expect((error as AppError).message).toContain("TOKEN_ENCRYPTION_KEYS");
    }
  });
});
