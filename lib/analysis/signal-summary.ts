import { z } from "zod";
import type { Signals } from "@/lib/analysis/signals";
import { fraudVerdict, trustTier } from "@/lib/analysis/trust-gate";

/**
 * The signals of one email as stored with its analysis and shown in the email page's "why":
 * enums and flags only, nothing from the text (no addresses, no names, no body).
 */
export const signalSummarySchema = z.object({
  relationship: z.enum(["internal", "thread", "known", "first_contact"]),
  authentication: z.enum(["pass", "fail", "none"]),
  addressing: z.enum(["to", "cc", "neither"]),
  tier: z.enum(["trusted", "direct", "untrusted"]),
  impersonation: z.boolean(),
  lookalike: z.boolean(),
  replyToDiverts: z.boolean(),
  automated: z.boolean(),
  official: z.boolean(),
  bulk: z.array(z.string().max(40)).max(6),
  providerImportant: z.boolean(),
  providerCategory: z.enum(["primary", "promotions", "social", "updates", "forums"]).nullable(),
  rule: z.enum(["vip", "muted", "blocked", "priority"]).nullable(),
  /** What the organization's CRM says of the sender, and the open deal's amount (our numbers). */
  crm: z.enum(["key_client", "contact", "domain"]).nullable().default(null),
  crmDealXof: z.number().nullable().default(null),
  fraud: z
    .enum([
      "payee_change",
      "urgent_transfer",
      "possible_payee_change",
      "announced_payee_change",
      "urgent_transfer_attempt",
      "spoofed_payment",
      "phishing",
      "scam",
    ])
    .nullable(),
});
export type SignalSummary = z.infer<typeof signalSummarySchema>;

export function summarizeSignals(s: Signals): SignalSummary {
  const tier = trustTier(s);
  const x = s.sender;
  return {
    relationship: x.relationship,
    authentication: x.authentication,
    addressing: x.addressing,
    tier,
    impersonation: x.impersonation,
    lookalike: x.lookalike,
    replyToDiverts: x.replyToDiverts,
    automated: x.automated,
    official: x.official,
    bulk: s.bulk.slice(0, 6),
    providerImportant: x.providerImportant,
    providerCategory: x.providerCategory,
    rule: s.senderRule,
    crm: x.crm,
    crmDealXof: x.crm && x.crmOpenDealXof > 0 ? x.crmOpenDealXof : null,
    fraud: fraudVerdict(s, tier),
  };
}
