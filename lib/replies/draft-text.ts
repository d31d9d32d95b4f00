import { keyedHash } from "@/lib/security/keyed-hash";
import { keyRing } from "@/lib/security/keys";
import { open, seal } from "@/lib/security/vault";

/** How long a draft waits for "Envoyer": past it, nothing is sent and the recipient starts again. */
export const DRAFT_TTL_MS = 30 * 60_000;

/**
 * A reply's text at rest: sealed like an OAuth token until it is sent, cancelled or expired, and
 * a keyed hash for the audit log ("the same text was sent", never what it said; a plain SHA-256
 * of "Oui, merci" is found by guessing).
 */
export async function sealDraftText(text: string): Promise<{ bodySealed: string; bodySha256: string }> {
  return { bodySealed: await seal(keyRing(), text), bodySha256: keyedHash("reply-text", text) };
}

export const openDraftText = (sealed: string) => open(keyRing(), sealed);
