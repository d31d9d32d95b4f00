import type { AnalysisContext } from "@/lib/analysis/context";
import { inBothLanguages, ref } from "@/lib/analysis/present";
import type { Analysis } from "@/lib/analysis/schema";
import type { Signals } from "@/lib/analysis/signals";
import { realSummary } from "@/lib/analysis/summary";
import type { NormalizedMessage } from "@/lib/mail/types";

/*
 * Decides without any model when the evidence is unambiguous: mass mail (list headers, the
 * provider's promotions/social/forums tabs — not a no-reply sender: the tax office and Google's
 * security alerts are automated, not mass mail), auto-replies, muted or blocked senders, an empty From. It only ever concludes informational or spam, so it stands aside for VIP
 * senders and whenever money, a deadline, legal, contract or bank-detail signals are present,
 * or the text sounds urgent: those always get a full analysis.
 */
export function prefilter(msg: NormalizedMessage, ctx: AnalysisContext, s: Signals): Analysis | null {
  if (s.senderRule === "vip" || s.business || s.fraud.payeeChange || s.fraud.urgentTransfer) return null;
  // Urgent wording gets a full analysis, except in auto-replies ("pour toute demande urgente…").
  const g = s.groups;
  if (!s.autoReply && (g.urgent || g.legal || g.taxAudit || g.blocked || g.tax)) return null;
  /** A catalogue summary, or (null) what the sender wrote. */
  const summary = (key: string | null) =>
    key ? inBothLanguages(ctx.timeZone, (t) => t(key)) : realSummary(s, ctx);
  const action = (kind: "ignore" | "read") => ({
    kind,
    phrase: inBothLanguages(ctx.timeZone, (t) => t(`action.${kind}`)),
  });
  const base = { deadline: null, amounts: [], fraudWarning: null, analyzer: "prefilter" as const };

  if (s.sender.emptyFrom) {
    return {
      ...base,
      priority: "spam",
      category: "other",
      summary: summary(null),
      suggestedAction: action("ignore"),
      confidence: 0.9,
      reasons: [ref("reason.emptyFrom")],
    };
  }
  if (s.senderRule === "blocked") {
    return {
      ...base,
      priority: "spam",
      category: "other",
      summary: summary(null),
      suggestedAction: action("ignore"),
      confidence: 0.95,
      reasons: [ref("reason.prefilterBlocked")],
    };
  }
  if (s.senderRule === "muted") {
    return {
      ...base,
      priority: "informational",
      category: "other",
      summary: summary(null),
      suggestedAction: action("read"),
      confidence: 0.9,
      reasons: [ref("reason.prefilterMuted")],
    };
  }
  if (s.autoReply) {
    return {
      ...base,
      priority: "informational",
      category: "auto_reply",
      summary: summary("summary.autoReply"),
      suggestedAction: action("read"),
      confidence: 0.9,
      reasons: [ref("reason.prefilterAutoReply")],
    };
  }
  if (s.bulk.length > 0) {
    // One sales word in a newsletter ("webinaire gratuit") does not make it advertising.
    // A service writing to one of its account holders is solicited: its upsell is not spam.
    const promotion =
      s.scam > 0 ||
      (!s.accountHolder &&
        (s.promo >= 2 || (s.promo > 0 && s.newsletter === 0) || msg.category === "promotions"));
    const category = promotion ? "promotion" : s.newsletter > 0 ? "newsletter" : "notification";
    const summaryKey = {
      promotion: "summary.promotion",
      newsletter: "summary.newsletter",
      notification: null,
    };
    return {
      ...base,
      priority: promotion ? "spam" : "informational",
      category,
      summary: summary(summaryKey[category]),
      suggestedAction: action(promotion ? "ignore" : "read"),
      confidence: 0.85,
      reasons: [ref("reason.prefilterBulk", { signals: s.bulk.join(", ") })],
    };
  }
  return null;
}
