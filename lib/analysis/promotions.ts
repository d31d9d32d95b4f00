import { ref } from "@/lib/analysis/present";
import type { Analysis } from "@/lib/analysis/schema";
import type { Signals } from "@/lib/analysis/signals";
import { fraudVerdict, trustTier } from "@/lib/analysis/trust-gate";

/*
 * « Promotions »: advertising mass-mailed by a sender the owner deals with — a supplier's price
 * list, their bank's or airline's offers, a shop they order from — is informational, not spam: it
 * is never alerted (informational mail never is), and it stays in the inbox unless the
 * organization asks to archive promotions. What decides is the relationship, not the wording:
 * the same mass mailing from a stranger is unsolicited (the owner never wrote to them) and stays
 * spam, and a scam or phishing is spam whoever seems to send it. An authentication failure makes
 * the relationship "first contact" (sender-signals.ts), so a spoofed shop is a stranger too.
 */
export function solicitedPromotion(s: Signals): boolean {
  if (s.bulk.length === 0 || s.scam > 0 || s.sender.emptyFrom) return false;
  if (s.sender.relationship === "first_contact" && !s.sender.crm) return false;
  const verdict = fraudVerdict(s, trustTier(s));
  return verdict === null;
}

/** Any analyzer's spam verdict on a solicited promotion becomes informational « Promotions ». */
export function asPromotion(analysis: Analysis, s: Signals): Analysis {
  if (analysis.priority !== "spam" || analysis.category !== "promotion" || !solicitedPromotion(s))
    return analysis;
  return {
    ...analysis,
    priority: "informational",
    reasons: [...analysis.reasons, ref("reason.promotionKnown")],
  };
}
