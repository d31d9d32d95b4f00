import type { SenderRule } from "@/lib/analysis/sender-rules";
import type { Locale } from "@/lib/i18n/catalogue";
import type { RelationshipFacts } from "@/lib/relationships/facts";

/** Who the email is analysed for: their language, time zone, rules, address and relationships. */
export type AnalysisContext = {
  locale: Locale;
  /** IANA zone deadlines are resolved in (default Africa/Abidjan). */
  timeZone: string;
  senderRules: SenderRule[];
  mailboxAddress: string;
  /** The organization's name, for the model's context ("you triage for the DG of …"). */
  organizationName?: string;
  /** What the relationship store knows of this sender and thread (`NO_RELATIONSHIP` for a new mailbox). */
  relationship: RelationshipFacts;
};
