import { env } from "@/lib/env";
import { type KeyRing, parseKeyRing } from "@/lib/security/key-ring";

let ring: KeyRing | null = null;

/** The process's token key ring, from TOKEN_ENCRYPTION_KEYS. */
export function keyRing(): KeyRing {
  ring ??= parseKeyRing(env.TOKEN_ENCRYPTION_KEYS);
  return ring;
}
