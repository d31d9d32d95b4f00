import type { AnalysisContext } from "@/lib/analysis/context";
import { renderText } from "@/lib/analysis/present";
import type { Analysis } from "@/lib/analysis/schema";
import type { Locale } from "@/lib/i18n/catalogue";
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

/** What a reader sees of an analysis in their language: every stored text rendered. */
export function shown(a: Analysis, locale: Locale = "fr", timeZone = "Africa/Abidjan") {
  return {
    summary: a.summary[locale],
    phrase: a.suggestedAction.phrase[locale],
    fraudWarning: a.fraudWarning ? renderText(a.fraudWarning, locale, timeZone) : null,
    reasons: a.reasons.map((r) => renderText(r, locale, timeZone)),
  };
}

/** A model answer's text, the same in both languages (tests that do not look at the language). */
export const both = (text: string) => ({ fr: text, en: text });
