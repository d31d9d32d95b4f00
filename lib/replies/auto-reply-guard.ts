/*
 * The safeguards of automatic replies, which no rule or setting can switch off. From RFC 3834
 * ("Recommendations for Automatic Responses to Electronic Mail") and common auto-responder
 * practice (Exchange's and Gmail's vacation responders):
 * - §2: never respond to a message whose Auto-Submitted field is anything but "no";
 * - §2: never respond to mailing lists — List-Id, List-Unsubscribe (RFC 2369/2919), or
 *   `Precedence: bulk | list | junk`, which responders honour though it was never standardised;
 * - §3.1.1: never respond when the Return-Path is empty (`<>`: bounces and other automatic mail),
 *   nor to addresses that say they read nothing (noreply, mailer-daemon, postmaster…);
 * - §2: at most one response per sender in a period (here per sender and thread, every N days),
 *   and a daily cap per mailbox so a misfiring rule cannot flood anyone;
 * - §5: what we send carries `Auto-Submitted: auto-replied` (set by reply.send for origin "auto").
 * And ours: never to spam or fraud, never to an unauthenticated first contact or an impersonated
 * sender (a spoofed From would make us confirm the mailbox to a forger), never to the user's own
 * addresses (two of their mailboxes would answer each other forever).
 */

export type AutoReplyBlock =
  | "auto_submitted"
  | "mailing_list"
  | "null_return_path"
  | "noreply_address"
  | "spam"
  | "unauthenticated_first_contact"
  | "own_address"
  | "no_sender";

export type GuardInput = {
  fromAddress: string | null;
  /** Lower-cased header names (NormalizedMessage.headers), as the mailbox has them now. */
  headers: Record<string, string>;
  priority: string | null;
  fraud: string | null;
  relationship: "internal" | "thread" | "known" | "first_contact" | null;
  authentication: "pass" | "fail" | "none" | null;
  impersonation: boolean;
  /** Every address of the organization's mailboxes and users. */
  ownAddresses: string[];
};

const NOREPLY =
  /^(?:no[-._]?reply|do[-._]?not[-._]?reply|donotreply|ne[-._]?pas[-._]?repondre|mailer[-._]?daemon|postmaster|bounces?|notifications?|alerts?|automated|daemon)(?:[-+._].*)?@/i;

/** Why this email must not get an automatic reply, or null when it may. */
export function autoReplyBlock(input: GuardInput): AutoReplyBlock | null {
  const from = input.fromAddress?.trim().toLowerCase() ?? "";
  if (!from.includes("@")) return "no_sender";
  const h = input.headers;
  const autoSubmitted = h["auto-submitted"]?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") return "auto_submitted";
  if (h["list-id"] || h["list-unsubscribe"] || h["list-post"]) return "mailing_list";
  if (/^(?:bulk|list|junk)$/i.test(h.precedence?.trim() ?? "")) return "mailing_list";
  if (h["return-path"] !== undefined && /^<?\s*>?$/.test(h["return-path"].trim())) return "null_return_path";
  if (NOREPLY.test(from)) return "noreply_address";
  if (input.priority === "spam" || input.fraud) return "spam";
  if (input.impersonation) return "unauthenticated_first_contact";
  if (input.relationship === "first_contact" && input.authentication !== "pass")
    return "unauthenticated_first_contact";
  if (input.ownAddresses.some((a) => a.trim().toLowerCase() === from)) return "own_address";
  return null;
}
