import type { Analysis, Priority } from "@/lib/analysis/schema";

/**
 * vip: trusted, at least important; muted: at most informational; blocked: spam; priority: the
 * user's own verdict for this sender ("apply to future emails"), set exactly.
 */
export type SenderRuleKind = "vip" | "muted" | "blocked" | "priority";
/** `pattern` is an address ("dg@banque.ci") or a domain ("@banque.ci", which covers its subdomains). */
export type SenderRule = { pattern: string; kind: SenderRuleKind; priority?: Priority | null };

/** A stored rule (its kind is vip, muted, blocked or the priority it sets) as the analysis reads it. */
export function storedRule(rule: { pattern: string; kind: string }): SenderRule | null {
  if (rule.kind === "vip" || rule.kind === "muted" || rule.kind === "blocked")
    return { pattern: rule.pattern, kind: rule.kind };
  if (PRIORITY_KINDS.includes(rule.kind as Priority))
    return { pattern: rule.pattern, kind: "priority", priority: rule.kind as Priority };
  return null;
}

const PRIORITY_KINDS: Priority[] = ["critical", "important", "informational", "spam"];

const KIND_ORDER: SenderRuleKind[] = ["blocked", "priority", "vip", "muted"];

function domainMatches(domain: string, pattern: string): boolean {
  return domain === pattern || domain.endsWith(`.${pattern}`);
}

/**
 * The rule that applies to a sender: an exact address beats a domain; at equal specificity
 * blocked beats VIP beats muted (a user who blocked someone meant it).
 */
export function matchSenderRule(address: string, rules: SenderRule[]): SenderRule | null {
  const addr = address.trim().toLowerCase();
  const domain = addr.split("@")[1] ?? "";
  const exact: SenderRule[] = [];
  const byDomain: SenderRule[] = [];
  for (const rule of rules) {
    const pattern = rule.pattern.trim().toLowerCase();
    if (pattern.startsWith("@")) {
      if (domain && domainMatches(domain, pattern.slice(1))) byDomain.push(rule);
    } else if (pattern === addr) {
      exact.push(rule);
    }
  }
  const pick = (found: SenderRule[]) =>
    [...found].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))[0] ?? null;
  return pick(exact) ?? pick(byDomain);
}

const RANK: Record<Priority, number> = { spam: 0, informational: 1, important: 2, critical: 3 };

export function priorityRank(p: Priority): number {
  return RANK[p];
}

export function maxPriority(a: Priority, b: Priority): Priority {
  return RANK[a] >= RANK[b] ? a : b;
}

export function minPriority(a: Priority, b: Priority): Priority {
  return RANK[a] <= RANK[b] ? a : b;
}

export type SenderRuleEffect = { priority: Priority; changed: boolean };

/**
 * VIP: at least important, critical when money or a deadline is involved. Muted: at most
 * informational. Blocked: spam. Priority: exactly the user's verdict. Applied last, whatever
 * analyzer decided (guard.ts keeps payment fraud and spoofed senders out of a rule's reach).
 */
export function senderRuleEffect(
  rule: Pick<SenderRule, "kind" | "priority"> | null,
  analysis: Pick<Analysis, "priority">,
  hasMoneyOrDeadline: boolean,
): SenderRuleEffect {
  const current = analysis.priority;
  const kind = rule?.kind ?? null;
  let next: Priority = current;
  if (kind === "priority" && rule?.priority) next = rule.priority;
  else if (kind === "vip") next = maxPriority(current, hasMoneyOrDeadline ? "critical" : "important");
  else if (kind === "muted") next = minPriority(current, "informational");
  else if (kind === "blocked") next = "spam";
  return { priority: next, changed: next !== current };
}
