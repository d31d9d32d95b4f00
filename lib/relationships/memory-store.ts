import { NO_RELATIONSHIP, type RelationshipFacts } from "@/lib/relationships/facts";
import type { HashKind } from "@/lib/relationships/hash";
import type { RelationshipQuery } from "@/lib/relationships/query";
import type { StoreEntry } from "@/lib/relationships/sent-mail";

type Counted = { count: number; lastAt: string | null; trusted: boolean };

/**
 * The relationship store in memory: the CLI's `--profile`, the evaluation and tests. The database
 * store (`relationship_lookup`) answers the same query with the same rules.
 */
export class MemoryRelationshipStore {
  private readonly rows = new Map<string, Counted>();

  add(entries: StoreEntry[]): this {
    for (const e of entries) {
      const key = `${e.kind}:${e.hash}`;
      const row = this.rows.get(key) ?? { count: 0, lastAt: null, trusted: false };
      row.count++;
      if (!row.lastAt || e.at > row.lastAt) row.lastAt = e.at;
      this.rows.set(key, row);
    }
    return this;
  }

  /** A correction to critical: the sender is trusted from now on, whatever the Sent folder says. */
  trust(kind: HashKind, hash: string): this {
    const key = `${kind}:${hash}`;
    const row = this.rows.get(key) ?? { count: 0, lastAt: null, trusted: false };
    this.rows.set(key, { ...row, trusted: true });
    return this;
  }

  private get(kind: HashKind, hash: string | null): Counted | undefined {
    return hash ? this.rows.get(`${kind}:${hash}`) : undefined;
  }

  lookup(q: RelationshipQuery): RelationshipFacts {
    const address = this.get("address", q.address);
    const domain = this.get("domain", q.domain);
    const knownDomain = (domain?.count ?? 0) > 0;
    const lookalike =
      !knownDomain &&
      (q.lookalikes.some((h) => (this.get("domain", h)?.count ?? 0) > 0) ||
        (this.get("skeleton", q.skeleton)?.count ?? 0) > 0);
    return {
      // No CRM here: the CLI's profiles and the labelled sets have none.
      ...NO_RELATIONSHIP,
      addressSent: address?.count ?? 0,
      lastSentAt: address?.lastAt ?? null,
      domainSent: domain?.count ?? 0,
      thread: q.threads.some((h) => (this.get("message-id", h)?.count ?? 0) > 0),
      lookalike,
      trustedByCorrection: Boolean(address?.trusted),
    };
  }
}
