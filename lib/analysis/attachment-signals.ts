import { largestInXof } from "@/lib/analysis/extract-amounts";
import { daysUntil } from "@/lib/analysis/extract-deadline";
import type { Amount } from "@/lib/analysis/schema";
import type { Signals } from "@/lib/analysis/signals";
import type { AttachmentFindings, AttachmentKind, AttachmentReading } from "@/lib/attachments/schema";

/*
 * What an email's attachments add to its signals. Only the structured findings come in (kind,
 * amounts, the earliest deadline, a payee change, a signature to give, sentences addressed to an
 * AI); never the text. Everything then goes through the same judgement and the same trust gate as
 * the body's evidence: a stranger's invoice is still a stranger's email, a bank-detail change in a
 * known supplier's PDF is payment fraud like one in the body, and an attachment that talks to an AI
 * caps the email like a body that does.
 */

/** One read attachment, for the reasons: its name and what was found. */
export type AttachmentFact = { name: string; findings: AttachmentFindings };

/** The keyword group a document of this kind stands for, as if the body had said it. */
const KIND_GROUP: Partial<Record<AttachmentKind, string>> = {
  invoice: "payment",
  contract: "contract",
  purchase_order: "contract",
  statement: "bank",
};

const MAX_AMOUNTS = 10;

function mergeAmounts(body: Amount[], found: Amount[]): Amount[] {
  const out = [...body];
  for (const a of found) {
    if (!out.some((b) => b.value === a.value && b.currency === a.currency)) out.push(a);
  }
  return out.slice(0, MAX_AMOUNTS);
}

/** `s` with the findings of the attachments that were read; `s` itself when none was. */
export function withAttachments(
  s: Signals,
  readings: AttachmentReading[],
  now: Date,
  timeZone: string,
): Signals {
  const facts: AttachmentFact[] = readings.flatMap(({ report }) =>
    report.status === "read" ? [{ name: report.filename ?? report.mimeType, findings: report.findings }] : [],
  );
  if (facts.length === 0) return s;
  const groups = { ...s.groups };
  let amounts = s.amounts;
  let deadline = s.deadline;
  let deadlineKind = s.deadlineKind;
  let payeeChange = s.fraud.payeeChange;
  let injection = s.injection;
  let business = s.business;
  for (const { findings: f } of facts) {
    const group = KIND_GROUP[f.kind];
    if (group) groups[group] = Math.max(groups[group] ?? 0, 1);
    if (f.needsSignature) groups.sign = Math.max(groups.sign ?? 0, 1);
    // A document's total comes before its lines: largest first, so the alert shows what is owed.
    amounts = mergeAmounts(
      amounts,
      [...f.amounts].sort((a, b) => largestInXof([b]) - largestInXof([a])),
    );
    // Attachment deadlines come from strong cues only ("échéance", "avant le"): something to do.
    if (f.deadline && (!deadline || new Date(f.deadline).getTime() < new Date(deadline).getTime())) {
      deadline = f.deadline;
      deadlineKind = "deadline";
    }
    payeeChange ||= f.bankDetailChange;
    injection += f.injection;
    business ||= f.amounts.length > 0 || f.deadline !== null || f.needsSignature || f.bankDetailChange;
    business ||= f.kind === "contract" || f.kind === "invoice" || f.kind === "purchase_order";
  }
  return {
    ...s,
    groups,
    amounts,
    largestXof: largestInXof(amounts),
    deadline,
    deadlineKind,
    deadlineDays: deadline ? daysUntil(deadline, now, timeZone) : null,
    fraud: { ...s.fraud, payeeChange },
    injection,
    business,
    attachments: facts,
  };
}
