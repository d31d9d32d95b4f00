import { createHmac } from "node:crypto";

/*
 * The relationship store keeps correspondents and sent Message-IDs as keyed hashes: HMAC-SHA256
 * under a per-organization key, truncated to 128 bits (collisions stay negligible at any
 * mailbox's size). Without the key a stolen table names no one, and one organization's hashes
 * say nothing about another's.
 */

export type HashKind = "address" | "domain" | "skeleton" | "message-id" | "sent-item";

export type Hasher = (kind: HashKind, value: string) => string;

export function createHasher(key: Uint8Array): Hasher {
  if (key.byteLength < 32) throw new Error("relationship key must be at least 32 bytes");
  return (kind, value) =>
    createHmac("sha256", key).update(`${kind}\u0000${value}`).digest().subarray(0, 16).toString("base64url");
}

/** Addresses compare case-insensitively (RFC 5321 allows otherwise; no provider we serve does). */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

/** `<abc@host>` and `abc@host` are the same Message-ID; its case is kept (RFC 5322 §3.6.4). */
export function normalizeMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, "").trim();
}

/** Every Message-ID in an In-Reply-To or References header, in order. */
export function messageIdsIn(header: string | undefined): string[] {
  if (!header) return [];
  const ids = header.slice(0, 20_000).match(/<[^<>\s]{1,250}>/g) ?? [];
  return ids.map(normalizeMessageId).filter(Boolean);
}
