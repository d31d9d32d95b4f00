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
    lookalikes: company && opts.lookalikes ? domainVariants(org).map((d) => hash("domain", d)) : [],
  };
}
