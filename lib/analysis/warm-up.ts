import { analyzeMessage } from "@/lib/analysis/analyze";
import type { NormalizedMessage } from "@/lib/mail/types";
import { NO_RELATIONSHIP } from "@/lib/relationships/facts";

/*
 * A process's first analysis pays for lazy initialisation: chrono-node compiles its French and
 * English patterns on their first parse, the language detector loads its n-grams, V8 compiles the
 * keyword patterns. On a loaded machine that is one uninterrupted half-second, which no pause in
 * the analysis can split. Paid once at start (instrumentation.ts, before the server takes
 * requests) it is nobody's email's, and nobody's webhook waits for it.
 */

const SAMPLE: NormalizedMessage = {
  provider: "sandbox",
  providerMessageId: "warm-up",
  threadId: null,
  internetMessageId: null,
  from: { name: "Comptabilité", address: "compta@example.ci" },
  to: [{ name: null, address: "direction@example.ci" }],
  cc: [],
  replyTo: [],
  subject: "Facture / invoice",
  date: "2026-01-05T09:00:00.000Z",
  headers: {},
  labels: [],
  category: null,
  text: "",
  html: "<p>Merci de régler la facture</p>",
  attachments: [],
  webLink: null,
  fromSelf: false,
};

/** One French and one English email: each language has its own date parser to start. */
const TEXTS = [
  "Bonjour,\n\nMerci de régler la facture de 1 250 000 FCFA avant vendredi 17h, ou de signer le contrat demain.\n\nCordialement",
  "Hello,\n\nPlease sign the contract by Friday 5pm and pay the USD 1,200 invoice before tomorrow noon.\n\nBest regards",
];

/** Runs a rule-based analysis of built-in samples (no network, no database). */
export async function warmUpAnalysis(): Promise<void> {
  // Twice: V8 runs a regular expression's first executions in its interpreter and compiles it to
  // machine code on a later one (regexp tier-up), and chrono's patterns are large enough for that
  // compile to take a few hundred milliseconds, which the second analysis paid.
  for (let round = 0; round < 2; round++) for (const text of TEXTS) await analyzeOne({ ...SAMPLE, text });
}

async function analyzeOne(msg: NormalizedMessage): Promise<void> {
  await analyzeMessage(
    msg,
    {
      locale: "fr",
      timeZone: "Africa/Abidjan",
      senderRules: [],
      mailboxAddress: "direction@example.ci",
      relationship: NO_RELATIONSHIP,
    },
    { geminiApiKey: null, geminiModel: "none" },
    { now: () => new Date(SAMPLE.date) },
  );
}
