import type { AnalysisContext } from "@/lib/analysis/context";
import type { Amount } from "@/lib/analysis/schema";
import { truncate } from "@/lib/analysis/text";
import { translator } from "@/lib/i18n/catalogue";
import type { NormalizedMessage } from "@/lib/mail/types";

/** The `analysis` catalogue in the recipient's language and time zone. */
export function analysisText(ctx: Pick<AnalysisContext, "locale" | "timeZone">) {
  return translator(ctx.locale, "analysis", ctx.timeZone);
}
export type AnalysisText = ReturnType<typeof analysisText>;

/** "15 000 000 FCFA", "$2,500.00", "10 000,50 €". */
export function formatAmount(amount: Amount, locale: AnalysisContext["locale"]): string {
  if (amount.currency === "XOF" || amount.currency === "XAF") {
    return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(amount.value)} FCFA`;
  }
  return new Intl.NumberFormat(locale, { style: "currency", currency: amount.currency }).format(amount.value);
}

export function senderName(msg: NormalizedMessage, t: AnalysisText): string {
  return truncate(msg.from.name?.trim() || msg.from.address.trim() || t("summary.unknownSender"), 60);
}

export function subjectOrPlaceholder(msg: NormalizedMessage, t: AnalysisText): string {
  const subject = msg.subject.trim();
  return subject ? truncate(subject, 110) : t("summary.noSubject");
}

/** Deadline reason, formatted in the recipient's zone ("Échéance : ven. 20 nov., 17:00"). */
export function deadlineReason(deadline: string, t: AnalysisText): string {
  return t("reason.deadline", { deadline: new Date(deadline) });
}
