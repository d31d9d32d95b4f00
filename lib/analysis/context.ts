import type { SenderRule } from "@/lib/analysis/sender-rules";
import type { Locale } from "@/lib/i18n/catalogue";

/** Who the email is analysed for: their language, time zone, sender rules and address. */
export type AnalysisContext = {
  locale: Locale;
  /** IANA zone deadlines are resolved in (default Africa/Abidjan). */
  timeZone: string;
  senderRules: SenderRule[];
  mailboxAddress: string;
};
