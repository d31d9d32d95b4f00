import { z } from "zod";

/**
 * What the relationship store knows about one email's sender and thread, looked up before the
 * analysis (from the store's hashes; nothing here names anyone). All zero/false = a first contact,
 * which is also what a new mailbox sees until its Sent folder is read.
 */
export const relationshipFactsSchema = z.object({
  /** Emails the owner sent to this exact address. */
  addressSent: z.number().int().nonnegative(),
  /** When the owner last wrote to this address (ISO), if ever. */
  lastSentAt: z.string().nullable(),
  /** Emails the owner sent to anyone at the sender's organizational domain (never a free-mail domain). */
  domainSent: z.number().int().nonnegative(),
  /** In-Reply-To or References names a Message-ID the owner sent: a reply in the owner's thread. */
  thread: z.boolean(),
  /** The sender's domain is unknown but one keystroke or one look-alike character from a known one. */
  lookalike: z.boolean(),
  /** The owner corrected an email of this sender to critical: a trust the Sent folder may not show. */
  trustedByCorrection: z.boolean(),
});
export type RelationshipFacts = z.infer<typeof relationshipFactsSchema>;

export const NO_RELATIONSHIP: RelationshipFacts = Object.freeze({
  addressSent: 0,
  lastSentAt: null,
  domainSent: 0,
  thread: false,
  lookalike: false,
  trustedByCorrection: false,
});
