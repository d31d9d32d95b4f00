import type { Priority } from "@/lib/analysis/schema";
import { minPriority } from "@/lib/analysis/sender-rules";
import type { Signals } from "@/lib/analysis/signals";
import { sellerShaped } from "@/lib/analysis/solicitation";

/*
 * The trust gate: how far an email can rise depends first on who sent it, whatever its words.
 * This is what keeps "URGENT: offer ends tonight, order now" from a stranger off the manager's
 * WhatsApp while "Can you call me today?" from the chairman wakes it. One place, both analyzers:
 *
 *   trusted    internal colleague, known correspondent, reply in the owner's thread, VIP rule,
 *              sender the owner corrected to critical, the mailbox's own host (Google, Microsoft)
 *              authenticated                                   → any priority
 *   direct     first contact, authenticated, addressed to the owner (To/Cc), not mass mail,
 *              replies to its own domain, not posing as a reply → at most important
 *   untrusted  everything else (unauthenticated, Bcc or list, mass mail, look-alike, empty From,
 *              Reply-To elsewhere, a forged thread)
 *                                                              → at most informational
 *
 * A sender that claims a relationship but fails authentication is a first contact (spoofing).
 * The one exception is payment fraud against a real relationship (fraudVerdict): a payee change
 * on a known correspondent's thread or from a look-alike domain is always critical.
 */

export type TrustTier = "trusted" | "direct" | "untrusted";

export const TIER_CAP: Record<TrustTier, Priority> = {
  trusted: "critical",
  direct: "important",
  untrusted: "informational",
};

export function trustTier(s: Pick<Signals, "sender" | "senderRule" | "bulk">): TrustTier {
  const x = s.sender;
  if (x.emptyFrom) return "untrusted";
  const vip = s.senderRule === "vip" && x.authentication !== "fail";
  if (x.relationship !== "first_contact" || vip || x.trustedByCorrection || x.mailboxProvider)
    return "trusted";
  // Direct: a stranger who signs, writes to the owner, not to a list, and wants the answer at
  // home — not at another domain or a free-mail box, and not in a thread the owner never started.
  if (
    x.authentication === "pass" &&
    x.addressing !== "neither" &&
    s.bulk.length === 0 &&
    !x.lookalike &&
    !x.replyToDiverts &&
    !x.strangerReply
  )
    return "direct";
  return "untrusted";
}

/**
 * What the fraud evidence means given who sent it:
 * - payee_change: a change of payee on a real relationship (trusted, impersonated or look-alike);
 * - urgent_transfer: a discreet urgent transfer asked by someone trusted, impersonated or look-alike;
 * - announced_payee_change: a known correspondent's own, authenticated announcement of a change
 *   taking effect weeks ahead, nothing to pay now, replies to its own domain — the genuine shape,
 *   still to verify by phone before the first payment (important, with the warning);
 * - possible_payee_change: a payee change from a stranger (no payment relationship to divert);
 * - spoofed_payment: money asked by a sender who is not who they claim — a known or internal address
 *   failing authentication, a look-alike of a known domain, or a known account whose replies go to
 *   free mail (the three shapes of business e-mail compromise), whatever the wording;
 * - urgent_transfer_attempt: a discreet urgent transfer asked by a stranger — typically a boss's
 *   name on a free-mail address: worth a warning on WhatsApp, within the stranger's cap;
 * - phishing / scam: credential or bank-detail harvesting, 419 — from anyone not trusted.
 */
export type FraudVerdict =
  | "payee_change"
  | "announced_payee_change"
  | "urgent_transfer"
  | "possible_payee_change"
  | "urgent_transfer_attempt"
  | "spoofed_payment"
  | "phishing"
  | "scam"
  | null;

/** Weeks ahead, from the known correspondent's own authenticated domain, nothing to pay now. */
function announcedAhead(s: Signals, tier: TrustTier): boolean {
  const x = s.sender;
  return (
    tier === "trusted" &&
    (x.relationship === "known" || x.relationship === "internal") &&
    x.authentication === "pass" &&
    !x.impersonation &&
    !x.lookalike &&
    !x.replyToDiverts &&
    !x.replyToFreeMail &&
    s.amounts.length === 0 &&
    !s.groups.urgent &&
    (s.payeeEffectiveDays ?? 0) >= 14
  );
}

export function fraudVerdict(s: Signals, tier: TrustTier): FraudVerdict {
  const real = tier === "trusted" || s.sender.impersonation || s.sender.lookalike;
  const f = s.fraud;
  // A link to a program is malware even from a known sender (their account may be compromised).
  if (f.dangerousLink) return "phishing";
  const moneyAsked =
    s.amounts.length > 0 || Boolean(s.groups.payment || s.groups.bank) || f.payeeChange || f.urgentTransfer;
  const compromised =
    s.sender.impersonation || s.sender.lookalike || (tier === "trusted" && s.sender.replyToFreeMail);
  // A look-alike or spoofed sender asking for the owner's own credentials or bank details is
  // harvesting them, not diverting a payment: phishing (below), even on a copy of his bank.
  const harvest = tier !== "trusted" && !f.payeeChange && (f.detailsRequest || f.phishingScore >= 2);
  if (compromised && moneyAsked && !f.advanceFee && !harvest)
    return f.payeeChange ? "payee_change" : "spoofed_payment";
  if (f.payeeChange && real && !f.advanceFee)
    return announcedAhead(s, tier) ? "announced_payee_change" : "payee_change";
  if (f.urgentTransfer && real) return "urgent_transfer";
  if (tier === "trusted") return null;
  if (f.advanceFee || s.scam > 0) return "scam";
  // A stranger asking for your bank details, ID or credentials is harvesting them; an unverified
  // sender's link made out to the owner's own address is one more cue.
  const lure = s.solicitation.recipientInLink && s.sender.authentication !== "pass" ? 1 : 0;
  if (f.phishingScore + lure >= 2 || f.detailsRequest) return "phishing";
  if (f.urgentTransfer) return "urgent_transfer_attempt";
  if (f.payeeChange) return "possible_payee_change";
  return null;
}

/** Payment fraud against a real relationship: raised to critical past any cap. */
export function isPaymentFraud(verdict: FraudVerdict): boolean {
  return verdict === "payee_change" || verdict === "urgent_transfer" || verdict === "spoofed_payment";
}

/**
 * How far this email may rise. Two exceptions to the table above, for authenticated mail
 * addressed to the owner by a stranger nobody writes to first: a public authority (`*.gouv.ci`,
 * `*.gouv.bj`, `*.gov`, `*.int`) — a tax audit, a customs hold — and a legal or tax action served
 * by someone who sells nothing and links to nothing (a lawyer's formal notice, a bailiff's
 * seizure) may be critical.
 */
export function capOf(s: Signals, tier: TrustTier): Priority {
  if (tier !== "direct") return TIER_CAP[tier];
  const g = s.groups;
  // Served as a lawyer or a bailiff serves: on paper or in the text, never behind a link or a
  // request for credentials ("view your court summons", "pay the fine online"), the lures of a
  // fake legal notice.
  const served =
    Boolean(g.legal || g.taxAudit || g.termination) &&
    !sellerShaped(s) &&
    s.sender.addressing === "to" &&
    s.solicitation.links === 0 &&
    s.fraud.phishingScore === 0;
  return s.sender.official || served ? "critical" : TIER_CAP.direct;
}

/** The gate itself: `priority` bounded by the cap, unless the email is payment fraud. */
export function gate(priority: Priority, cap: Priority, verdict: FraudVerdict): Priority {
  if (isPaymentFraud(verdict)) return "critical";
  return minPriority(priority, cap);
}
