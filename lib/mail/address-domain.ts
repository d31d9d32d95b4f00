import freeMailDomains from "email-providers/all.json" with { type: "json" };
import { getDomain, getPublicSuffix } from "tldts";

/*
 * Domains as the judgement compares them. The organizational domain (the registrable part, from
 * the Public Suffix List: `mail.banque.ci` → `banque.ci`, `dgi.gouv.ci` stays itself because
 * `gouv.ci` is a public suffix) is what DMARC's relaxed alignment and "same company" mean.
 */

const FREE_MAIL = new Set<string>(freeMailDomains);

/** The lower-cased domain of an address, or "" when there is none (`From: "" <>`). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 0
    ? ""
    : address
        .slice(at + 1)
        .trim()
        .toLowerCase()
        .replace(/\.$/, "");
}

/** `mail.banque.ci` → `banque.ci`; the domain itself when the PSL cannot tell (an IP, a bare host). */
export function organizationalDomain(domain: string): string {
  const d = domain.trim().toLowerCase();
  return (d && getDomain(d, { allowPrivateDomains: false })) || d;
}

/** Free-mail providers (Gmail, Yahoo, Outlook.com, Orange…): a domain there says nothing about a company. */
export function isFreeMail(domain: string): boolean {
  const d = domain.trim().toLowerCase();
  return FREE_MAIL.has(d) || FREE_MAIL.has(organizationalDomain(d));
}

/** Same company: equal organizational domains, never for free mail (two Gmail users are strangers). */
export function sameOrganization(a: string, b: string): boolean {
  if (!a || !b || isFreeMail(a) || isFreeMail(b)) return false;
  return organizationalDomain(a) === organizationalDomain(b);
}

/**
 * A public authority's domain: under a government public suffix of the Public Suffix List
 * (`gouv.ci`, `gouv.sn`, `gouv.ml`, `gov.bf`, `gov.gn`, `gov.gh`, `gov.uk`; the `gov`, `int` and
 * `mil` top levels: BCEAO, UN agencies), or under one of the region's government second levels the
 * list lacks, whose ministries would otherwise be strangers. A `gouv.` label under any other
 * country code is an ordinary domain anyone can register (`gouv.io`, `gouv.co`, `gouv.me`): never
 * an authority. Only ever a reason to let authenticated mail from there rise.
 */
const GOVERNMENT_SUFFIX = /^(?:(?:gouv|gov|govt|gob)\.[a-z]{2}|gov|int|mil)$/;
/** Registered by the states themselves, missing from the PSL (checked with tldts 2026-12). */
const UNLISTED_GOVERNMENT = [
  "gouv.bj",
  "gouv.tg",
  "gouv.ne",
  "gouv.bf",
  "gouv.gn",
  "gouv.cm",
  "gouv.cd",
  "gouv.cg",
  "gouv.ga",
  "gouv.td",
  "gouv.cf",
  "gouv.mr",
  "gouv.mg",
  "gouv.dj",
  "gouv.bi",
];

export function isPublicAuthority(domain: string): boolean {
  const d = domain.trim().toLowerCase().replace(/\.$/, "");
  if (!d.includes(".")) return false;
  if (UNLISTED_GOVERNMENT.some((g) => d.endsWith(`.${g}`))) return true;
  const suffix = getPublicSuffix(d, { allowPrivateDomains: false });
  return suffix !== null && suffix !== d && GOVERNMENT_SUFFIX.test(suffix);
}
