import type { SenderRule } from "@/lib/analysis/sender-rules";
import type { Locale } from "@/lib/i18n/catalogue";
import type { RelationshipFacts } from "@/lib/relationships/facts";

export type MailboxHost = "google" | "microsoft" | "other";

/** Who the email is analysed for: their language, time zone, rules, address and relationships. */
export type AnalysisContext = {
  locale: Locale;
  /** IANA zone deadlines are resolved in (default Africa/Abidjan). */
  timeZone: string;
  senderRules: SenderRule[];
  mailboxAddress: string;
  /** The organization's name, for the model's context ("you triage for the DG of …"). */
  organizationName?: string;
  /**
   * Who hosts the mailbox. On Exchange Online ("microsoft") the `X-MS-Exchange-Organization-*`
   * headers were set by the mailbox's own tenant: Exchange's header firewall strips them from mail
   * entering from outside, so `X-MS-Exchange-Organization-AuthAs: Internal` means the sender
   * authenticated to the tenant. On any other host that header is whatever the sender wrote.
   */
  mailboxHost?: MailboxHost;
  /** What the relationship store knows of this sender and thread (`NO_RELATIONSHIP` for a new mailbox). */
  relationship: RelationshipFacts;
};
