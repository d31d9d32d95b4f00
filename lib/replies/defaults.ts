import type { TemplateInput } from "@/lib/db/replies";

/**
 * The reply templates a new organization starts with, unapproved: nothing is offered on WhatsApp
 * until the user has read and approved a text in Settings › Réponses. They are the user's future
 * texts (data the user edits), not interface strings, so they live here rather than in the ICU
 * catalogues, which would read their placeholders as arguments.
 */
export const DEFAULT_REPLY_TEMPLATES: TemplateInput[] = [
  {
    locale: "fr",
    position: 0,
    title: "Bien reçu",
    body: "Bonjour {prénom},\n\nBien reçu, je vous rappelle dans l’heure.",
  },
  {
    locale: "fr",
    position: 1,
    title: "Je reviens demain",
    body: "Bonjour {prénom},\n\nMerci, je regarde et je reviens vers vous demain.",
  },
  {
    locale: "fr",
    position: 2,
    title: "Avant l’échéance",
    body: "Bonjour {prénom},\n\nBien noté pour « {sujet} » : je m’en occupe avant {échéance}.",
  },
  {
    locale: "en",
    position: 0,
    title: "Received",
    body: "Hello {first_name},\n\nWell received, I will call you back within the hour.",
  },
  {
    locale: "en",
    position: 1,
    title: "Back to you tomorrow",
    body: "Hello {first_name},\n\nThank you, I am looking into it and will get back to you tomorrow.",
  },
  {
    locale: "en",
    position: 2,
    title: "Before the deadline",
    body: "Hello {first_name},\n\nNoted for “{subject}”: I will take care of it before {deadline}.",
  },
];
