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
  /** The address is a contact of the organization's CRM (a newsletter subscriber is not). */
  crmContact: z.boolean().default(false),
  /** The sender's organizational domain is a CRM contact's: a colleague at a client. */
  crmDomain: z.boolean().default(false),
  /** The contact's largest open deal (its own or its company's), in XOF; 0 when none. */
  crmOpenDealXof: z.number().nonnegative().default(0),
  /** That deal is at or above the organization's key-client threshold. */
  crmKeyClient: z.boolean().default(false),
});
export type RelationshipFacts = z.infer<typeof relationshipFactsSchema>;

export const NO_RELATIONSHIP: RelationshipFacts = Object.freeze({
  addressSent: 0,
  lastSentAt: null,
  domainSent: 0,
  thread: false,
  lookalike: false,
  trustedByCorrection: false,
  crmContact: false,
  crmDomain: false,
  crmOpenDealXof: 0,
  crmKeyClient: false,
});
