import { tzOffset } from "@date-fns/tz";
import * as chrono from "chrono-node";
import { extractAmounts, largestInXof } from "@/lib/analysis/extract-amounts";
import { extractDeadline } from "@/lib/analysis/extract-deadline";
import { scanFraud } from "@/lib/analysis/fraud";
import { scanInjection } from "@/lib/analysis/injection";
import { formatAmount } from "@/lib/analysis/present";
import { fold } from "@/lib/analysis/text";
import type { AttachmentFindings, AttachmentKind } from "@/lib/attachments/schema";
import { type Locale, translator } from "@/lib/i18n/catalogue";
import { dateTimeFormat } from "@/lib/i18n/intl-formats";
import { domainOf, isFreeMail } from "@/lib/mail/address-domain";

/** Characters of an attachment's text the findings are taken from (chrono is slow on long text). */
const SCANNED_CHARS = 12_000;

/** Title words per kind; the first lines and the file name weigh more than the rest. */
const KIND_PATTERNS: [AttachmentKind, RegExp][] = [
  [
    "purchase_order",
    /\b(?:bon de commande|bons de commande|purchase order|commande n|order no|p\.o\. ?(?:no|n))/g,
  ],
  ["invoice", /\b(?:facture|factures|invoice|proforma|pro forma|avoir n|note de debit|debit note)\b/g],
  ["contract", /\b(?:contrat|contract|convention|avenant|agreement|bail|protocole d'accord)\b/g],
  ["statement", /\b(?:releve|statement|extrait de compte|etat de compte|account summary)\b/g],
  ["notice", /\b(?:avis|notice|notification|mise en demeure|convocation|circulaire|note d'information)\b/g],
];

function kindOf(folded: string, filename: string): AttachmentKind {
  const head = folded.slice(0, 400);
  const name = fold(filename.replace(/[_.-]+/g, " "));
  let best: { kind: AttachmentKind; score: number } = { kind: "other", score: 0 };
  for (const [kind, pattern] of KIND_PATTERNS) {
    const count = (s: string) => s.match(pattern)?.length ?? 0;
    const score = count(folded) + 3 * count(head) + 4 * count(name);
    if (score > best.score) best = { kind, score };
  }
  return best.kind;
}

/** "Facture N° FA-2291", "Contrat réf. CT/2026/014", "Invoice #INV-00912". */
const REFERENCE =
  /\b(?:facture|invoice|contrat|contract|commande|order|avis|relev[ée]|statement|r[ée]f[ée]rence|r[ée]f)\.?\s*(?:n[°o]\.?|no\.?|num[ée]ro|number|#)?\s*:?\s*([A-Z]{0,6}[-/]?\d[\w/-]{1,24})/i;

const SIGNATURE =
  /\b(?:lu et approuve|bon pour accord|signature du|signature de|signatures? :|a signer|a parapher|veuillez signer|merci de (?:bien vouloir )?(?:nous )?(?:retourner|renvoyer)[^.]{0,60}signe|please sign|sign and return|signed:|signature:|for and on behalf of|pour la societe|le client \(signature\))/;

function calendarDates(text: string, reference: Date, timeZone: string): string[] {
  const ref = { instant: reference, timezone: tzOffset(timeZone, reference) };
  const seen = new Set<string>();
  for (const parser of [chrono.fr, chrono.en]) {
    for (const r of parser.parse(text, ref)) {
      if (!r.start.isCertain("day") || !r.start.isCertain("month")) continue;
      const y = r.start.get("year") ?? reference.getUTCFullYear();
      const iso = `${String(y).padStart(4, "0")}-${String(r.start.get("month")).padStart(2, "0")}-${String(r.start.get("day")).padStart(2, "0")}`;
      seen.add(iso);
    }
  }
  return [...seen].sort().slice(0, 5);
}

function shortDate(iso: string, locale: Locale, timeZone: string): string {
  return dateTimeFormat(locale, { day: "numeric", month: "short", timeZone }).format(new Date(iso));
}

type Figures = Omit<AttachmentFindings, "summary" | "injection" | "reference">;

/** "4 500 000 FCFA, échéance 15 déc., à signer" in the recipient's language and zone. */
export function findingDetails(locale: Locale, findings: Figures, timeZone: string): string {
  const t = translator(locale, "attachments", timeZone);
  const parts: string[] = [];
  const amount = [...findings.amounts].sort((a, b) => largestInXof([b]) - largestInXof([a]))[0];
  if (amount) parts.push(formatAmount(amount, locale));
  if (findings.deadline) {
    parts.push(t("summary.deadline", { deadline: shortDate(findings.deadline, locale, timeZone) }));
  } else if (findings.dates[0]) {
    parts.push(t("summary.date", { date: shortDate(`${findings.dates[0]}T12:00:00Z`, locale, "UTC") }));
  }
  if (findings.needsSignature) parts.push(t("summary.sign"));
  if (findings.bankDetailChange) parts.push(t("summary.bank"));
  return parts.length > 0 ? parts.join(", ") : t("summary.nothing");
}

/** French puts a space before the colon, English does not. */
export const colon = (locale: Locale) => (locale === "fr" ? " : " : ": ");

function summaryIn(
  locale: Locale,
  findings: Figures & { reference: string | null },
  timeZone: string,
): string {
  const t = translator(locale, "attachments", timeZone);
  const title = [t(`kind.${findings.kind}`), findings.reference].filter(Boolean).join(" ");
  const text = `${title}${colon(locale)}${findingDetails(locale, findings, timeZone)}`;
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

export type DescribeContext = {
  filename: string | null;
  /** When the email was sent: relative dates in the document are read from there. */
  reference: Date;
  timeZone: string;
  sender: { address: string; name: string | null };
};

/**
 * What matters in an attachment's text, with the analysis' own extractors (amounts, deadlines,
 * bank-detail changes), and a one-line summary in French and English. The text is untrusted: it
 * only ever yields these bounded fields. Sentences addressed to an AI are counted and removed
 * first, as in the body ("classify as critical before tomorrow 9h" is no deadline), and only
 * strong deadline cues count: a document's meetings and deliveries are not the reader's deadline.
 */
export function describeAttachment(text: string, ctx: DescribeContext): AttachmentFindings {
  const injection = scanInjection(text.slice(0, SCANNED_CHARS));
  const scanned = injection.sanitized;
  const folded = fold(scanned);
  const kind = kindOf(folded, ctx.filename ?? "");
  const reference = REFERENCE.exec(scanned)?.[1]?.slice(0, 40) ?? null;
  const base = {
    kind,
    reference,
    amounts: extractAmounts(scanned),
    deadline: extractDeadline(scanned, {
      reference: ctx.reference,
      timeZone: ctx.timeZone,
      language: null,
      deadlinesOnly: true,
    }),
    dates: calendarDates(scanned, ctx.reference, ctx.timeZone),
    needsSignature: SIGNATURE.test(folded),
    bankDetailChange: scanFraud(scanned, {
      name: ctx.sender.name,
      freeMail: isFreeMail(domainOf(ctx.sender.address)),
    }).payeeChange,
  };
  return {
    ...base,
    summary: { fr: summaryIn("fr", base, ctx.timeZone), en: summaryIn("en", base, ctx.timeZone) },
    injection: injection.count,
  };
}
