import { createTranslator } from "use-intl/core";
import { DEFAULT_LOCALE, DEFAULT_TIME_ZONE, LOCALES, type Locale } from "@/lib/domain/vocabulary";
import enAnalysis from "@/lib/i18n/messages/en/analysis.json";
import enAttachments from "@/lib/i18n/messages/en/attachments.json";
import enAuth from "@/lib/i18n/messages/en/auth.json";
import enCrm from "@/lib/i18n/messages/en/crm.json";
import enEmail from "@/lib/i18n/messages/en/email.json";
import enReplies from "@/lib/i18n/messages/en/replies.json";
import enWeb from "@/lib/i18n/messages/en/web.json";
import enWhatsapp from "@/lib/i18n/messages/en/whatsapp.json";
import frAnalysis from "@/lib/i18n/messages/fr/analysis.json";
import frAttachments from "@/lib/i18n/messages/fr/attachments.json";
import frAuth from "@/lib/i18n/messages/fr/auth.json";
import frCrm from "@/lib/i18n/messages/fr/crm.json";
import frEmail from "@/lib/i18n/messages/fr/email.json";
import frReplies from "@/lib/i18n/messages/fr/replies.json";
import frWeb from "@/lib/i18n/messages/fr/web.json";
import frWhatsapp from "@/lib/i18n/messages/fr/whatsapp.json";

export type { Locale };
// The languages are the domain vocabulary's (lib/domain/vocabulary.ts), named here too for the many
// modules that only need them with a translator.
export { LOCALES };

/** Message catalogues, one JSON file per namespace and language (French is the reference). */
export const catalogues = {
  fr: {
    whatsapp: frWhatsapp,
    analysis: frAnalysis,
    web: frWeb,
    auth: frAuth,
    attachments: frAttachments,
    crm: frCrm,
    email: frEmail,
    replies: frReplies,
  },
  en: {
    whatsapp: enWhatsapp,
    analysis: enAnalysis,
    web: enWeb,
    auth: enAuth,
    attachments: enAttachments,
    crm: enCrm,
    email: enEmail,
    replies: enReplies,
  },
} as const;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export function toLocale(value: unknown): Locale {
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

type Namespace = keyof (typeof catalogues)["fr"];
type Translate = (key: string, values?: Record<string, string | number | Date>) => string;

/** Time zones are the recipients' (a few hundred exist): the cache is bounded all the same. */
const MAX_TRANSLATORS = 500;
const translators = new Map<string, Translate>();

/**
 * A translator for one namespace, usable anywhere (server components, jobs, CLI). A missing key is
 * an error in tests (the catalogue test checks both languages have the same keys).
 */
export function translator(locale: Locale, namespace: Namespace, timeZone = DEFAULT_TIME_ZONE): Translate {
  // One per language, namespace and time zone, kept: a translator compiles each message on first
  // use and keeps it, so one made per call compiled every message it formatted again.
  const key = `${locale}\u0000${namespace}\u0000${timeZone}`;
  const known = translators.get(key);
  if (known) return known;
  const made = createTranslator({
    locale,
    messages: catalogues[locale] as Record<string, Record<string, unknown>>,
    namespace,
    timeZone,
  } as never) as Translate;
  if (translators.size >= MAX_TRANSLATORS) translators.clear();
  translators.set(key, made);
  return made;
}
