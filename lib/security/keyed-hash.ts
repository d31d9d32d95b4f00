import { createHmac, hkdfSync } from "node:crypto";
import { env } from "@/lib/env";
import { normalizeOptInCode } from "@/lib/whatsapp/opt-in-code";

/*
 * Keyed hashes of short secrets and identifiers we must match later but never keep: opt-in codes,
 * and what the WhatsApp webhook payloads need to remember (a code in an inbound message, a phone
 * number). Six digits hashed without a key are recovered from a dump in a millisecond; an HMAC
 * keyed by the app is not. The key is derived from SESSION_SECRET with HKDF, one key per purpose,
 * so no new secret has to be configured and one purpose's digests say nothing about another's.
 * Rotating SESSION_SECRET ends the live codes (they last an hour at most) along with the sessions.
 */

const keys = new Map<string, Buffer>();

function keyFor(purpose: string): Buffer {
  let key = keys.get(purpose);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", env.SESSION_SECRET, "fluxasync", `keyed-hash:${purpose}`, 32));
    keys.set(purpose, key);
  }
  return key;
}

/** HMAC-SHA256 of `value` under the app's key for `purpose`, as 64 hex characters. */
export function keyedHash(purpose: string, value: string): string {
  return createHmac("sha256", keyFor(purpose)).update(value, "utf8").digest("hex");
}

/**
 * What the database keeps of an opt-in code (opt_in_codes.code_hash): the keyed hash of its six
 * digits however they were typed ("FLUX-123 456"). The app and the WhatsApp webhook both use it.
 */
export function hashOptInCode(code: string): string {
  const digits = normalizeOptInCode(code);
  if (!digits) throw new Error("An opt-in code is 6 digits");
  return keyedHash("opt-in-code", digits);
}
