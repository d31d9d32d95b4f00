import { CALL_COURTESY, CALL_REQUEST } from "@/lib/analysis/keywords";
import type { Priority } from "@/lib/analysis/schema";
import type { Signals } from "@/lib/analysis/signals";
import { sellerShaped } from "@/lib/analysis/solicitation";
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
  | "copied"
  | "firstContactVague"
  | "firstContactOffer"
  | "stakesSevere"
  | "stakesSoon"
  | "urgentAsk"
  | "keyClient"
  | "gateDirect"
  | "gateUntrusted";

const TODAY_WORDS =
  /\b(?:aujourd'hui|ce jour|ce soir|ce matin|cet apres-midi|demain|today|tonight|this (?:morning|afternoon|evening)|tomorrow|asap|au plus vite|des que possible|tout de suite|right away|immediately|immediatement)\b/;

export type Stakes = {
  severe: boolean;
  /** A deadline (something to do) within a day. */
  soonDeadline: boolean;
  /** Anything dated within a day, events included. */
  soon: boolean;
  near: boolean;
  money: boolean;
  act: boolean;
  urgentAsk: boolean;
};

/**
 * "Merci de…", "doit être…", "au plus tard", an imperative put to the reader ("transmettez",
 * "submit"), a consequence ("à défaut", "failing which"): what turns a program's date into the
 * reader's deadline.
 */
const REQUIREMENT =
  /\b(?:merci de|veuillez|priere de|doit|doivent|devez|must|required|requis|obligatoire|au plus tard|no later than|action required|action requise|date limite|dernier delai|deadline|transmettez|envoyez|fournissez|joignez|deposez|regularisez|completez|retournez|presentez|submit|upload|provide|a defaut|faute de quoi|sans quoi|sous peine|failing which|failing that|otherwise)\b/;

export function stakesOf(s: Signals): Stakes {
  const g = s.groups;
  const d = s.deadlineDays;
  const folded = fold(s.text);
  // A program has no "ask": its words are boilerplate. Only a dated requirement makes it work.
  const program = s.sender.automated;
  const dated = d !== null && d >= -1 && (!program || REQUIREMENT.test(folded));
  const soon = dated && (d ?? 99) <= 1;
  const timely = soon || TODAY_WORDS.test(folded);
  const ask = s.ask && !program;
  return {
    severe: Boolean(
      g.legal || g.taxAudit || g.termination || (g.accountSecurity && s.sender.mailboxProvider),
    ),
    soonDeadline: soon && s.deadlineKind === "deadline",
    soon,
    near: dated && (d ?? 99) <= 14,
    money: s.largestXof >= 1_000_000,
    act:
      Boolean(g.blocked || g.customs) ||
      (!program && Boolean(ask || g.payment || g.sign || g.contract || g.quote || g.tender || g.complaint)),
    urgentAsk: ask && (Boolean(g.urgent) || timely),
  };
}

const CALL_REQUESTS = new RegExp(CALL_REQUEST.source, "g");

/** A call asked for, not offered as a courtesy: its sentence carries no "if needed", "feel free". */
function callAsked(folded: string): boolean {
  for (const m of folded.matchAll(CALL_REQUESTS)) {
    const start = Math.max(...[".", "!", "?", "\n"].map((c) => folded.lastIndexOf(c, m.index)), 0);
    const end = folded.slice(m.index).search(/[.!?\n]/);
    const sentence = folded.slice(start, end < 0 ? undefined : m.index + end);
    if (!CALL_COURTESY.test(sentence)) return true;
  }
  return false;
}

function oneLineCall(s: Signals): boolean {
  const x = s.sender;
  if (x.automated || x.addressing !== "to" || s.bulk.length > 0) return false;
  const lines = s.text.split("\n").filter((l) => l.trim().length > 0);
  const body = lines.join(" ");
  return body.length <= 200 && lines.length <= 3 && callAsked(fold(body));
}

/** One level down for the owner in copy: critical → important, important → news unless dated near. */
function followedInCopy(priority: Priority, near: boolean): Priority {
  if (priority === "critical") return "important";
  if (priority === "important" && !near) return "informational";
  return priority;
}

/** What is at stake, before the gate: the same for every sender. */
function stakesPriority(s: Signals, k: Stakes): Verdict {
  const g = s.groups;
  if (k.severe) return { priority: "critical", why: ["stakesSevere"] };
  // A trusted sender's deadline within the day is critical on its own ("Passe me voir avant 16h").
  if (k.soonDeadline) return { priority: "critical", why: ["stakesSoon"] };
  if (k.soon && (k.money || g.urgent || g.tax || g.penalty || g.contract || g.sign || g.blocked))
    return { priority: "critical", why: ["stakesSoon"] };
  if (k.urgentAsk && s.sender.addressing === "to") return { priority: "critical", why: ["urgentAsk"] };
  // A one-line "call me" / "come and see me" put to the owner alone: how a chairman or a board
  // member writes when it matters, whatever the words.
  if (oneLineCall(s)) return { priority: "critical", why: ["urgentAsk"] };
  // A key client (an open deal above the organization's threshold) who sets a deadline or asks
  // something: the definition of critical ("urgent, contract, key client").
  const keyClientAsks = s.ask && !s.sender.automated;
  if (s.sender.crm === "key_client" && (keyClientAsks || (k.near && s.deadlineKind === "deadline")))
    return { priority: "critical", why: ["keyClient"] };
  // Meetings, deliveries, HR or figures reported without an ask or a date are news, not work.
  const important =
    k.act ||
    k.near ||
    // Figures reported to the owner are news when he is only copied and asked nothing, and a
    // seller's own prices (a price list, an offer) ask nothing of him either.
    (s.amounts.length > 0 &&
      !s.sender.automated &&
      (s.sender.addressing === "to" || s.ask) &&
      !(sellerShaped(s) && !s.ask && !g.payment)) ||
    Boolean(g.urgent || g.tax || g.penalty);
  return { priority: important ? "important" : "informational", why: [] };
}

export function judge(s: Signals, tier: TrustTier, verdict: FraudVerdict): Verdict {
  if (s.sender.emptyFrom) return { priority: "spam", why: ["emptyFrom"] };
  if (verdict === "payee_change" || verdict === "urgent_transfer") return { priority: "critical", why: [] };
  if (verdict === "scam" || verdict === "phishing") return { priority: "spam", why: [] };
  if (verdict === "possible_payee_change") return { priority: "informational", why: [] };
  if (verdict === "announced_payee_change") return { priority: "important", why: [] };
  if (verdict === "urgent_transfer_attempt")
    return { priority: gate("important", capOf(s, tier), verdict), why: [] };
  if (s.autoReply) return { priority: "informational", why: [] };

  const k = stakesOf(s);
  // Advertising: sales vocabulary from someone the owner never dealt with, nothing really at stake.
  // A cold pitch is the seller's voice from a stranger: of no interest, whatever it asks.
  const advertising = s.promo >= 2 || (s.promo > 0 && s.bulk.length > 0);
  // A service writing to one of its account holders is solicited, advertising included: news.
  if ((s.pitch > 0 || advertising) && tier !== "trusted" && !k.severe && !s.accountHolder)
    return { priority: "spam", why: ["marketing"] };
  // The seller's shape from someone the owner never dealt with, posing as a reply or wanting the
  // answer elsewhere: the cold approach's full kit.
  const cold =
    !verdict && s.sender.relationship === "first_contact" && !s.sender.official && !s.sender.automated;
  if (
    cold &&
    tier !== "trusted" &&
    !k.severe &&
    // A stranger's reply may answer a colleague's quote (the owner copied): only the seller's
    // shape condemns it. Sums asked for at a free-mail box are the scam's own.
    ((s.sender.strangerReply && sellerShaped(s)) ||
      (s.sender.replyToDiverts && (sellerShaped(s) || s.amounts.length > 0)))
  )
    return { priority: "spam", why: ["marketing"] };
  // An email that tries to steer an AI is never raised by anything else it says, whoever sent it
  // (a known correspondent's account can be compromised too).
  // From someone the owner never dealt with and little else in it, it is the attack itself: spam.
  if (s.injection > 0)
    return {
      priority: tier === "untrusted" && s.injectionShare >= 0.5 ? "spam" : "informational",
      why: ["hostileInjection"],
    };
  if (s.bulk.length > 0) return { priority: "informational", why: [] };
  if (s.notice && !s.ask && !k.severe) return { priority: "informational", why: ["notice"] };
  const stakes = stakesPriority(s, k);
  // A stranger alerts only when they ask for the owner's business: the buyer's voice, a quote or
  // a bid, a contract to sign, a complaint, a legal, tax or customs matter. "Can we schedule a call?" from someone the
  // owner never wrote to is news, not work; and sums and dates alone are what offers, bills and
  // lures carry too. A seller's shape (pitch, campaign links, a sales signature, the seller's
  // voice, a bill from nobody the owner deals with) makes the first contact a cold approach.
  const g = s.groups;
  if (tier === "direct" && !s.sender.official && stakes.priority !== "informational") {
    const request =
      k.severe ||
      Boolean(g.tax || g.customs || g.quote || g.tender || g.complaint || g.contract || g.sign) ||
      s.solicitation.buyer > 0;
    // A program's notice (a declaration, a contribution due) carries links and sums by nature.
    const bill = Boolean(g.payment) && s.solicitation.buyer === 0 && !s.sender.automated;
    const offer = sellerShaped(s) || s.fraud.phishingScore > 0 || bill;
    if (offer && !k.severe) return { priority: "informational", why: ["firstContactOffer"] };
    if (!request) return { priority: "informational", why: ["firstContactVague"] };
  }
  // In Cc, or Bcc/list, and asked nothing: the email is for others to act on; the owner follows
  // it one level down — a critical matter stays alerted, a report or a thread in copy is news
  // (unless a deadline within two weeks is in it).
  const copied = s.sender.addressing !== "to" && !s.ask && !k.severe;
  const lowered = copied ? followedInCopy(stakes.priority, k.near) : stakes.priority;
  const priority = gate(lowered, capOf(s, tier), verdict);
  const why = [...stakes.why, ...(lowered !== stakes.priority ? (["copied"] as const) : [])];
  if (priority !== stakes.priority) why.push(tier === "direct" ? "gateDirect" : "gateUntrusted");
  return { priority, why };
}
