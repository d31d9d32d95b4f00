import freeMailDomains from "email-providers/all.json" with { type: "json" };
import { getDomain } from "tldts";

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
 * A public authority's domain: a government second level under a country code (`gouv.ci`,
 * `gouv.sn`, `gouv.bj`, `gouv.tg`, `gouv.ne`, `gouv.ml`, `gov.bf`, `gov.gn`, `gov.gh`…) or the
 * `gov`/`int`/`mil` top levels (BCEAO, UN agencies). Read from the name itself, not the Public
 * Suffix List: the list has `gouv.ci` and `gouv.sn` but not `gouv.bj`, `gouv.tg` or `gouv.ne`,
 * whose ministries would otherwise be strangers. Only ever a reason to let authenticated mail
 * from there rise, never the other way round.
 */
const GOVERNMENT = /(?:^|\.)(?:gouv|gov|govt|gob)\.[a-z]{2}$|\.(?:gov|int|mil)$/;

export function isPublicAuthority(domain: string): boolean {
  const d = domain.trim().toLowerCase().replace(/\.$/, "");
  return d.includes(".") && GOVERNMENT.test(d);
}
