import { domainOf, isFreeMail, organizationalDomain } from "@/lib/mail/address-domain";
import type { NormalizedMessage } from "@/lib/mail/types";
import { type Hasher, messageIdsIn, normalizeAddress } from "@/lib/relationships/hash";
import { domainVariants, skeleton } from "@/lib/relationships/lookalike";

/** The hashes one email is looked up by; the store answers with `RelationshipFacts`. */
export type RelationshipQuery = {
  address: string | null;
  /** The sender's organizational domain; null for free mail (a Gmail address is not a company). */
  domain: string | null;
  skeleton: string | null;
  /** In-Reply-To first, then References (newest last in the header, so read from the end). */
  threads: string[];
  /** Domains one edit away from the sender's: only when the email is worth the look (money, bank details). */
  lookalikes: string[];
};

const MAX_THREAD_IDS = 20;

/*
 * The look-alike hashes of a sender's domain (about a thousand HMACs, ~9 ms of CPU) depend only on the
 * organization's key and the domain, and the same correspondents write again and again: the last
 * LOOKALIKE_MEMO domains' hashes are kept (at most about 8 MB), per hasher.
 */
const LOOKALIKE_MEMO = 256;
const lookalikeMemo = new Map<string, string[]>();
const hasherIds = new WeakMap<Hasher, number>();
let nextHasherId = 0;

function lookalikeHashes(org: string, hash: Hasher): string[] {
  let id = hasherIds.get(hash);
  if (id === undefined) {
    id = nextHasherId++;
    hasherIds.set(hash, id);
  }
  const key = `${id}\u0000${org}`;
  const known = lookalikeMemo.get(key);
  if (known) {
    lookalikeMemo.delete(key);
    lookalikeMemo.set(key, known);
    return known;
  }
  const hashes = domainVariants(org).map((d) => hash("domain", d));
  lookalikeMemo.set(key, hashes);
  if (lookalikeMemo.size > LOOKALIKE_MEMO) lookalikeMemo.delete(lookalikeMemo.keys().next().value as string);
  return hashes;
}

export function relationshipQuery(
  msg: Pick<NormalizedMessage, "from" | "headers">,
  hash: Hasher,
  opts: { lookalikes: boolean },
): RelationshipQuery {
  const address = normalizeAddress(msg.from.address);
  const domain = domainOf(address);
  const company = domain !== "" && !isFreeMail(domain);
  const org = company ? organizationalDomain(domain) : "";
  const ids = [
    ...messageIdsIn(msg.headers["in-reply-to"]),
    ...messageIdsIn(msg.headers.references).reverse(),
  ];
  return {
    address: address.includes("@") ? hash("address", address) : null,
    domain: company ? hash("domain", org) : null,
    skeleton: company && skeleton(org) ? hash("skeleton", skeleton(org)) : null,
    threads: [...new Set(ids)].slice(0, MAX_THREAD_IDS).map((id) => hash("message-id", id)),
    // A copy: the caller may hold on to the query while the memo's entry is reused.
    lookalikes: company && opts.lookalikes ? [...lookalikeHashes(org, hash)] : [],
  };
}
