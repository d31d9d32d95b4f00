import type { AnalysisContext } from "@/lib/analysis/context";
import type { NormalizedMessage } from "@/lib/mail/types";

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
    ...overrides,
  };
}

/** "Now" = the email's date, so "aujourd'hui" in a fixture stays today. */
export const atEmailDate = (msg: NormalizedMessage) => ({ now: () => new Date(msg.date) });
