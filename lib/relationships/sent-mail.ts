import { domainOf, isFreeMail, organizationalDomain } from "@/lib/mail/address-domain";
import { type Hasher, type HashKind, normalizeAddress, normalizeMessageId } from "@/lib/relationships/hash";
import { skeleton } from "@/lib/relationships/lookalike";

/** What the store learns from one email the owner sent: metadata only, read from the Sent folder. */
export type SentMail = {
  /** The provider's id of the sent email: what makes it count once when it has no Message-ID. */
  providerMessageId?: string;
  recipients: string[];
  internetMessageId: string | null;
  /** ISO instant it was sent. */
  sentAt: string;
};

export type StoreEntry = { kind: HashKind; hash: string; at: string };

/**
 * The hashed entries one sent email adds: each recipient's address, and for company addresses
 * the organizational domain and its look-alike skeleton (once per domain per email), and the
 * email's own Message-ID (so replies to it are recognised as the owner's thread). The owner's
 * own addresses are left out: writing to yourself makes no one known.
 */
export function sentMailEntries(mail: SentMail, hash: Hasher, ownAddresses: string[]): StoreEntry[] {
  const own = new Set(ownAddresses.map(normalizeAddress));
  const entries = new Map<string, StoreEntry>();
  const add = (kind: HashKind, value: string) => {
    const h = hash(kind, value);
    entries.set(`${kind}:${h}`, { kind, hash: h, at: mail.sentAt });
  };
  for (const raw of mail.recipients) {
    const address = normalizeAddress(raw);
    if (!address.includes("@") || own.has(address)) continue;
    add("address", address);
    const domain = domainOf(address);
    if (domain && !isFreeMail(domain)) {
      const org = organizationalDomain(domain);
      add("domain", org);
      if (skeleton(org)) add("skeleton", skeleton(org));
    }
  }
  const id = mail.internetMessageId ? normalizeMessageId(mail.internetMessageId) : "";
  if (id) add("message-id", id);
  return [...entries.values()];
}

/** A sent email ready for the store: its entries and the sentinel that keeps it counted once. */
export function recordedMail(mail: SentMail, hash: Hasher, ownAddresses: string[]) {
  const entries = sentMailEntries(mail, hash, ownAddresses);
  const id = entries.find((e) => e.kind === "message-id");
  const sentinel = id
    ? { sentinelKind: "message-id" as const, sentinel: id.hash }
    : {
        sentinelKind: "sent-item" as const,
        sentinel: hash("sent-item", mail.providerMessageId ?? `${mail.sentAt}|${mail.recipients.join(",")}`),
      };
  return { ...sentinel, at: mail.sentAt, entries: entries.map(({ kind, hash: h }) => ({ kind, hash: h })) };
}
