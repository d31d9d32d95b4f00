import { createHash, randomBytes } from "node:crypto";

/** PKCE (RFC 7636) for the authorization-code flow; provider-neutral (Google, Microsoft). */
export type Pkce = {
  /** Kept server-side (encrypted cookie / row) until the callback; never sent to the browser URL. */
  verifier: string;
  challenge: string;
  method: "S256";
};

/** base64url(SHA-256(verifier)), the only challenge method we send. */
export function s256Challenge(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** 32 random bytes as base64url = a 43-character verifier, the RFC's minimum length and 256 bits. */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: s256Challenge(verifier), method: "S256" };
}

/** Unguessable OAuth `state` (256 bits, base64url), bound to the browser that started the flow. */
export function randomState(): string {
  return randomBytes(32).toString("base64url");
}
