import type { Priority } from "@/lib/analysis/schema";
import type { Signals } from "@/lib/analysis/signals";
import { fold } from "@/lib/analysis/text";
import { capOf, type FraudVerdict, gate, type TrustTier } from "@/lib/analysis/trust-gate";

/*
 * The rules' verdict, read top to bottom. First what the email IS (fraud, scam, mass mail,
 * advertising, an auto-reply, a notice that asks nothing), then what it ASKS and what is at
 * stake, then the trust gate bounds the result by who sent it. Words alone never make an email
 * critical: they do only from someone the owner deals with.
 */

export type Verdict = { priority: Priority; why: WhyKey[] };

/** Reason keys (`reason.<key>` in the analysis catalogue) explaining the verdict. */
export type WhyKey =
  | "emptyFrom"
  | "hostileInjection"
  | "marketing"
  | "notice"
  | "stakesSevere"
  | "stakesSoon"
  | "urgentAsk"
  | "gateDirect"
  | "gateUntrusted";

const TODAY_WORDS =
  /\b(?:aujourd'hui|ce jour|ce soir|ce matin|cet apres-midi|demain|today|tonight|this (?:morning|afternoon|evening)|tomorrow|asap|au plus vite|des que possible|tout de suite|right away|immediately|immediatement)\b/;

export type Stakes = {
  severe: boolean;
  soon: boolean;
  near: boolean;
  money: boolean;
  act: boolean;
  urgentAsk: boolean;
};

export function stakesOf(s: Signals): Stakes {
  const g = s.groups;
  const d = s.deadlineDays;
  const soon = d !== null && d >= -1 && d <= 1;
  const timely = soon || TODAY_WORDS.test(fold(s.text));
  return {
    severe: Boolean(g.legal || g.taxAudit || g.termination),
    soon,
    near: d !== null && d >= -1 && d <= 14,
    money: s.largestXof >= 1_000_000,
    act: Boolean(
      s.ask || g.payment || g.sign || g.contract || g.quote || g.tender || g.complaint || g.blocked || g.customs,
    ),
    urgentAsk: s.ask && (Boolean(g.urgent) || timely),
  };
}

/** What is at stake, before the gate: the same for every sender. */
function stakesPriority(s: Signals, k: Stakes): Verdict {
  const g = s.groups;
  if (k.severe) return { priority: "critical", why: ["stakesSevere"] };
  if (k.soon && (k.act || k.money || g.urgent || g.tax || g.penalty))
    return { priority: "critical", why: ["stakesSoon"] };
  if (k.urgentAsk && s.sender.addressing === "to") return { priority: "critical", why: ["urgentAsk"] };
  // Meetings, deliveries, HR or figures reported without an ask or a date are news, not work.
  const important = k.act || k.near || s.amounts.length > 0 || Boolean(g.urgent || g.tax || g.penalty);
  return { priority: important ? "important" : "informational", why: [] };
}

export function judge(s: Signals, tier: TrustTier, verdict: FraudVerdict): Verdict {
  if (s.sender.emptyFrom) return { priority: "spam", why: ["emptyFrom"] };
  if (verdict === "payee_change" || verdict === "urgent_transfer") return { priority: "critical", why: [] };
  if (verdict === "scam" || verdict === "phishing") return { priority: "spam", why: [] };
  if (verdict === "possible_payee_change") return { priority: "informational", why: [] };
  if (verdict === "urgent_transfer_attempt") return { priority: gate("important", capOf(s, tier), verdict), why: [] };
  // An unsolicited email that tries to steer an AI, with nothing of substance, is hostile.
  if (s.injection > 0 && !s.business && tier !== "trusted")
    return { priority: "spam", why: ["hostileInjection"] };
  if (s.autoReply) return { priority: "informational", why: [] };

  const k = stakesOf(s);
  // Advertising: sales vocabulary from someone the owner never dealt with, nothing really at stake.
  // A cold pitch is the seller's voice from a stranger: of no interest, whatever it asks.
  const advertising = s.promo >= 2 || (s.promo > 0 && (s.bulk.length > 0 || tier !== "trusted"));
  const pitch = s.pitch > 0 && tier !== "trusted";
  if ((pitch || (advertising && !(s.ask && s.sender.addressing === "to"))) && tier !== "trusted" && !k.severe)
    return { priority: "spam", why: ["marketing"] };
  if (s.bulk.length > 0) return { priority: "informational", why: [] };
  if (s.notice && !s.ask && !k.severe) return { priority: "informational", why: ["notice"] };

  const stakes = stakesPriority(s, k);
  const priority = gate(stakes.priority, capOf(s, tier), verdict);
  const why = [...stakes.why];
  if (priority !== stakes.priority) why.push(tier === "direct" ? "gateDirect" : "gateUntrusted");
  return { priority, why };
}
