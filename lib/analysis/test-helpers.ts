import type { AnalysisContext } from "@/lib/analysis/context";
import type { NormalizedMessage } from "@/lib/mail/types";
import { NO_RELATIONSHIP, type RelationshipFacts } from "@/lib/relationships/facts";

/** A sender the owner has written to before (the relationship store's answer for a known correspondent). */
export const KNOWN: RelationshipFacts = { ...NO_RELATIONSHIP, addressSent: 4, domainSent: 6 };

/** A NormalizedMessage with sensible defaults, for tests that build emails inline. */
export function message(overrides: Partial<NormalizedMessage> = {}): NormalizedMessage {
  return {
    provider: "sandbox",
    providerMessageId: "m-1",
    threadId: null,
    internetMessageId: null,
    from: { name: "Aïcha Koné", address: "a.kone@banque-atlantique.ci" },
    to: [{ name: null, address: "direction@sahel-negoce.ci" }],
    cc: [],
    replyTo: [],
    subject: "Point sur le dossier",
    date: "2026-11-20T08:15:00.000Z",
    headers: {},
    labels: [],
    category: null,
    text: "Bonjour,\n\nPetit point sur le dossier.\n\nCordialement",
    html: null,
    attachments: [],
    webLink: null,
    fromSelf: false,
    ...overrides,
  };
}

export function context(overrides: Partial<AnalysisContext> = {}): AnalysisContext {
  return {
    locale: "fr",
    timeZone: "Africa/Abidjan",
    senderRules: [],
    mailboxAddress: "direction@sahel-negoce.ci",
    // The default sender is the owner's bank adviser: a known correspondent.
    relationship: KNOWN,
    ...overrides,
  };
}

/** "Now" = the email's date, so "aujourd'hui" in a fixture stays today. */
export const atEmailDate = (msg: NormalizedMessage) => ({ now: () => new Date(msg.date) });
