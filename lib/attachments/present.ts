import { colon, findingDetails } from "@/lib/attachments/describe";
import type { StoredAttachment } from "@/lib/attachments/stored";
import { type Locale, translator } from "@/lib/i18n/catalogue";

const name = (report: StoredAttachment) => report.filename ?? report.mimeType;

/**
 * One line per attachment in the recipient's language: what was found
 * ("📎 Facture FA-2291.pdf : 4 500 000 FCFA, échéance 15 déc."), or why it was not read
 * ("📎 scan.pdf : illisible : protégé par mot de passe"). For the alert and the email page.
 */
export function attachmentLine(report: StoredAttachment, locale: Locale, timeZone: string): string {
  const t = translator(locale, "attachments", timeZone);
  if (report.status === "read") {
    const f = report.findings;
    const kind = f.kind === "other" ? "" : `${t(`kind.${f.kind}`)} `;
    const details = findingDetails(locale, f, timeZone);
    const injection = f.injection > 0 ? `, ${t("summary.injection")}` : "";
    return `📎 ${kind}${name(report)}${colon(locale)}${details}${injection}`;
  }
  const why = report.status === "skipped" ? t(`skip.${report.reason}`) : t(`unreadable.${report.reason}`);
  return `📎 ${name(report)}${colon(locale)}${why}`;
}

/** Attachments worth a line in an alert: those read that say something, and unreadable documents. */
export function alertWorthy(report: StoredAttachment): boolean {
  if (report.status === "unreadable") return true;
  if (report.status !== "read") return false;
  const f = report.findings;
  return (
    f.kind !== "other" ||
    f.amounts.length > 0 ||
    f.deadline !== null ||
    f.needsSignature ||
    f.bankDetailChange ||
    f.injection > 0
  );
}
