import { formatDay, formatTime } from "@/lib/channels/format-values";
import type { Locale } from "@/lib/i18n/catalogue";

/**
 * Placeholders a template may use, in French or English spelling: the correspondent's first name,
 * the email's subject, its deadline. A template whose subject or deadline placeholder cannot be
 * filled for an email is not offered for it; a missing first name is left out ("Bonjour,").
 */
const PLACEHOLDERS = {
  firstName: ["prénom", "first_name"],
  subject: ["sujet", "subject"],
  deadline: ["échéance", "deadline"],
} as const;
type Placeholder = keyof typeof PLACEHOLDERS;

const ANY = /\{([^{}\s]{1,30})\}/g;

function placeholderOf(word: string): Placeholder | null {
  const lower = word.normalize("NFC").toLowerCase();
  for (const [key, spellings] of Object.entries(PLACEHOLDERS)) {
    if ((spellings as readonly string[]).includes(lower)) return key as Placeholder;
  }
  return null;
}

/** Placeholders a template names that we do not know (Settings refuses to save them). */
export function unknownPlaceholders(body: string): string[] {
  return [...body.matchAll(ANY)].map((m) => m[1]!).filter((w) => placeholderOf(w) === null);
}

export type FillContext = {
  fromName: string | null;
  fromAddress: string;
  subject: string | null;
  deadline: Date | null;
  locale: Locale;
  timeZone: string;
};

/** "Awa Koné" → "Awa"; an address or a company-like name ("Service Client") is not a first name. */
function firstName(name: string | null, address: string): string | null {
  const trimmed = name?.trim() ?? "";
  if (!trimmed || trimmed.includes("@") || trimmed.toLowerCase() === address.toLowerCase()) return null;
  const first = trimmed.split(/[\s,]+/)[0] ?? "";
  return /^\p{Lu}[\p{L}'’-]{1,29}$/u.test(first) ? first : null;
}

export type Filled = { ok: true; text: string } | { ok: false; missing: Placeholder[] };

export function fillTemplate(body: string, ctx: FillContext): Filled {
  const values: Record<Placeholder, string | null> = {
    firstName: firstName(ctx.fromName, ctx.fromAddress),
    subject: ctx.subject?.trim() || null,
    deadline: ctx.deadline
      ? `${formatDay(ctx.deadline, ctx.locale, ctx.timeZone)} ${ctx.locale === "fr" ? "à" : "at"} ${formatTime(ctx.deadline, ctx.locale, ctx.timeZone)}`
      : null,
  };
  const missing = new Set<Placeholder>();
  for (const m of body.matchAll(ANY)) {
    const key = placeholderOf(m[1]!);
    if (key && key !== "firstName" && values[key] === null) missing.add(key);
  }
  if (missing.size > 0) return { ok: false, missing: [...missing] };
  const text = body
    // No first name: "Bonjour {prénom}," becomes "Bonjour,".
    .replace(/[ \t]*\{([^{}\s]{1,30})\}/g, (whole, word: string) => {
      const key = placeholderOf(word);
      if (!key) return whole;
      const value = values[key];
      return value === null ? "" : whole.replace(`{${word}}`, value);
    })
    .trim();
  return { ok: true, text };
}
