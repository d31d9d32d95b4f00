import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from "jose";
import { AppError } from "@/lib/errors/app-error";
import type { KeyRing } from "@/lib/security/key-ring";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Thrown for any ciphertext that cannot be opened: tampered, truncated, or under an unknown key. */
export class VaultError extends AppError {
  constructor(message: string) {
    super("vault", message);
  }
}

/**
 * Encrypts a secret as compact JWE: `alg: dir` with the ring's current 256-bit key, `enc: A256GCM`
 * (AES-GCM authenticates, so a flipped byte fails decryption instead of yielding garbage), and the
 * key id in the protected header so any key of the ring can open it later.
 */
export async function seal(ring: KeyRing, plaintext: string): Promise<string> {
  return new CompactEncrypt(encoder.encode(plaintext))
    .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: ring.current.kid, cty: "fluxasync-token" })
    .encrypt(ring.current.key);
}

export function sealedKid(ciphertext: string): string | null {
  try {
    const kid = decodeProtectedHeader(ciphertext).kid;
    return typeof kid === "string" ? kid : null;
  } catch {
    return null;
  }
}

export async function open(ring: KeyRing, ciphertext: string): Promise<string> {
  const kid = sealedKid(ciphertext);
  if (!kid) throw new VaultError("Encrypted token is malformed.");
  const key = ring.all.get(kid);
  if (!key) throw new VaultError(`Encrypted token uses key "${kid}", which is not in TOKEN_ENCRYPTION_KEYS.`);
  try {
    const { plaintext } = await compactDecrypt(ciphertext, key, {
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    return decoder.decode(plaintext);
  } catch {
    throw new VaultError("Encrypted token failed authentication (tampered or wrong key).");
  }
}

/** JSON helpers for the token set stored on a mailbox. */
export async function sealJson(ring: KeyRing, value: unknown): Promise<string> {
  return seal(ring, JSON.stringify(value));
}

export async function openJson(ring: KeyRing, ciphertext: string): Promise<unknown> {
  return JSON.parse(await open(ring, ciphertext));
}
