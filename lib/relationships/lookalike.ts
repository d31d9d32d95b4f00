import { organizationalDomain } from "@/lib/mail/address-domain";

/*
 * Look-alike domains of known correspondents (`socafer-cl.com` for `socafer-ci.com`,
 * `banque-atIantique.ci`, `rnarket.ci` for `market.ci`): the classic set-up of a payee-change
 * fraud. The store only holds hashes, so the comparison runs the other way round: the sender's
 * domain is expanded into every domain one edit away (RFC 1035 letters, digits, hyphen) plus the
 * same name under another common suffix, and those are looked up; a look-alike "skeleton" (the
 * characters people confuse folded together) catches what needs two edits (rn → m).
 */

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-";
/** Suffixes West-African businesses register under, and the generic ones fraudsters pick. */
const SUFFIXES = [
  "ci",
  "com",
  "net",
  "org",
  "fr",
  "sn",
  "bf",
  "ml",
  "tg",
  "bj",
  "cm",
  "ne",
  "gn",
  "co",
  "biz",
  "info",
  "africa",
  "com.ci",
  "co.ci",
];
/** Past this many characters a label is not worth 2,000 lookups (and is not a company name). */
const MAX_LABEL = 40;

function split(domain: string): { label: string; suffix: string } | null {
  const org = organizationalDomain(domain);
  const dot = org.indexOf(".");
  if (dot <= 0) return null;
  return { label: org.slice(0, dot), suffix: org.slice(dot + 1) };
}

/** Every organizational domain one edit (or one suffix) away from `domain`'s, itself excluded. */
export function domainVariants(domain: string): string[] {
  const parts = split(domain);
  if (!parts || parts.label.length > MAX_LABEL) return [];
  const { label, suffix } = parts;
  const labels = new Set<string>();
  for (let i = 0; i <= label.length; i++) {
    const before = label.slice(0, i);
    const after = label.slice(i);
    for (const ch of ALPHABET) {
      labels.add(before + ch + after); // insertion
      if (i < label.length) labels.add(before + ch + label.slice(i + 1)); // substitution
    }
    if (i < label.length) labels.add(before + label.slice(i + 1)); // deletion
    if (i < label.length - 1) labels.add(before + label[i + 1] + label[i] + label.slice(i + 2)); // transposition
  }
  labels.delete(label);
  const out = new Set<string>();
  for (const l of labels) if (l && !l.startsWith("-") && !l.endsWith("-")) out.add(`${l}.${suffix}`);
  for (const s of SUFFIXES) if (s !== suffix) out.add(`${label}.${s}`);
  return [...out];
}

const CONFUSABLE: [RegExp, string][] = [
  [/rn/g, "m"],
  [/vv/g, "w"],
  [/[il1|]/g, "l"],
  [/0/g, "o"],
  [/5/g, "s"],
  [/[-_.]/g, ""],
];

/** The domain's name with confusable characters folded and its suffix dropped. */
export function skeleton(domain: string): string {
  const parts = split(domain);
  if (!parts) return "";
  return CONFUSABLE.reduce((s, [pattern, by]) => s.replace(pattern, by), parts.label);
}
