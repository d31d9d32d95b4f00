import { z } from "zod";

/*
 * The product's vocabulary, declared once: priorities (most to least urgent), the languages we
 * speak, the suggested actions, the default time zone. Database schemas, the analysis, routing
 * and the UI all take their enums from here.
 */

export const PRIORITIES = ["critical", "important", "informational", "spam"] as const;
export const priorityEnum = z.enum(PRIORITIES);
export type Priority = z.infer<typeof priorityEnum>;

/** 4 for critical down to 1 for spam: a recipient with minimum `important` hears of ranks ≥ 3. */
export function priorityRank(priority: Priority): number {
  return PRIORITIES.length - PRIORITIES.indexOf(priority);
}

export const LOCALES = ["fr", "en"] as const;
export const localeEnum = z.enum(LOCALES);
export type Locale = z.infer<typeof localeEnum>;
export const DEFAULT_LOCALE: Locale = "fr";

export const SUGGESTED_ACTIONS = ["reply", "call", "sign", "pay", "forward", "read", "ignore"] as const;
export const suggestedActionEnum = z.enum(SUGGESTED_ACTIONS);

/** Côte d'Ivoire (UTC+0, no daylight saving): organizations and recipients start there. */
export const DEFAULT_TIME_ZONE = "Africa/Abidjan";
