import { AppError } from "@/lib/errors/app-error";

export type KeyRing = { current: { kid: string; key: Uint8Array }; all: Map<string, Uint8Array> };

/**
 * Parses TOKEN_ENCRYPTION_KEYS: `kid:base64(32 bytes)` comma-separated. The first key encrypts;
 * every key decrypts, so a new key is put first, tokens are re-encrypted, then the old key removed.
 */
export function parseKeyRing(spec: string): KeyRing {
  const all = new Map<string, Uint8Array>();
  let current: KeyRing["current"] | null = null;
  for (const entry of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const sep = entry.indexOf(":");
    const kid = entry.slice(0, sep);
    const key = new Uint8Array(Buffer.from(entry.slice(sep + 1), "base64"));
    if (sep < 1 || key.length !== 32) {
      throw new AppError(
        "bad_key_ring",
        `TOKEN_ENCRYPTION_KEYS: key "${kid || "?"}" must be kid:base64 of 32 bytes.`,
      );
    }
    if (all.has(kid)) throw new AppError("bad_key_ring", `TOKEN_ENCRYPTION_KEYS: duplicate kid "${kid}".`);
    all.set(kid, key);
    current ??= { kid, key };
  }
  if (!current) throw new AppError("bad_key_ring", "TOKEN_ENCRYPTION_KEYS is empty.");
  return { current, all };
}
