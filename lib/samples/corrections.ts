import { readFileSync } from "node:fs";
import type { SignalSummary } from "@/lib/analysis/signal-summary";
import type { NormalizedMessage } from "@/lib/mail/types";
import { NO_RELATIONSHIP, type RelationshipFacts } from "@/lib/relationships/facts";
import { type CorrectionLine, correctionLineSchema } from "@/lib/samples/correction-export";
import type { EvalSet } from "@/lib/samples/eval-sets";

/*
 * An organization's own corrections as a labelled set. Without bodies the analyzer judges each
 * email on what was kept — sender, subject, headers and the stored signals — which is exactly the
 * question a correction asks of the gate: was this sender given the right reach?
 */

/** The store's answer the stored relationship stands for (counts are not kept, only the verdict). */
function factsOf(s: SignalSummary): RelationshipFacts {
  if (s.relationship === "thread") return { ...NO_RELATIONSHIP, thread: true, lookalike: s.lookalike };
  if (s.relationship === "known") return { ...NO_RELATIONSHIP, addressSent: 1, lookalike: s.lookalike };
  return { ...NO_RELATIONSHIP, lookalike: s.lookalike };
}

/** The stored authentication verdict, as the receiving server would have written it. */
function authHeader(s: SignalSummary, from: string): Record<string, string> {
  if (s.authentication === "none") return {};
  const domain = from.split("@")[1] ?? "";
  return { "authentication-results": `corrections; dmarc=${s.authentication} header.from=${domain}` };
}

function toMessage(line: CorrectionLine, mailbox: string): NormalizedMessage {
  const me = { name: null, address: mailbox };
  return {
    provider: "sandbox",
    providerMessageId: line.id,
    threadId: null,
    internetMessageId: null,
    from: { name: line.fromName, address: line.from },
    to: line.signals.addressing === "to" ? [me] : [],
    cc: line.signals.addressing === "cc" ? [me] : [],
    replyTo: [],
    subject: line.subject,
    date: line.date,
    headers: { ...line.headers, ...authHeader(line.signals, line.from) },
    labels: line.signals.providerImportant ? ["IMPORTANT"] : [],
    category: line.signals.providerCategory,
    text: "",
    html: null,
    attachments: [],
    webLink: null,
    fromSelf: false,
  };
}

export function readCorrections(file: string): CorrectionLine[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = correctionLineSchema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

export async function correctionsSet(file: string): Promise<EvalSet> {
  const lines = readCorrections(file);
  // The mailbox address is not exported; internal senders were recorded in the signals instead.
  const mailbox = "owner@corrections.invalid";
  const byId = new Map(lines.map((l) => [l.id, l]));
  return {
    name: "corrections",
    split: "dev",
    items: lines.map((l) => ({ id: l.id, label: l.label, injection: false, msg: toMessage(l, mailbox) })),
    context: (item) => {
      const line = byId.get(item.id);
      const internal = line?.signals.relationship === "internal";
      return {
        locale: "fr",
        timeZone: "Africa/Abidjan",
        senderRules: [],
        // An internal sender shares the owner's domain: give the stand-in mailbox that domain.
        mailboxAddress: internal ? `owner@${line?.from.split("@")[1] ?? "corrections.invalid"}` : mailbox,
        relationship: line ? factsOf(line.signals) : NO_RELATIONSHIP,
      };
    },
  };
}
