import { type Authentication, authenticationOf } from "@/lib/analysis/authentication";
import type { MailboxHost } from "@/lib/analysis/context";
import { hasReplyPrefix } from "@/lib/analysis/text";
import {
  domainOf,
  isFreeMail,
  isPublicAuthority,
  organizationalDomain,
  sameOrganization,
} from "@/lib/mail/address-domain";
import type { NormalizedMessage, ProviderCategory } from "@/lib/mail/types";
import type { RelationshipFacts } from "@/lib/relationships/facts";

/*
 * Who the sender is to the mailbox owner — the facts real triage relies on before any word of
 * the email: relationship (from the relationship store), DMARC-style authentication of the From
 * domain, how the owner was addressed, and what the provider itself concluded.
 */

export type Relationship = "internal" | "thread" | "known" | "first_contact";
export type Addressing = "to" | "cc" | "neither";

export type SenderSignals = {
  relationship: Relationship;
  authentication: Authentication;
  addressing: Addressing;
  /** The store or the domain says internal/known/thread, but authentication failed: a spoofed sender. */
  impersonation: boolean;
  /** An unknown domain one edit or one look-alike character away from a known correspondent's. */
  lookalike: boolean;
  /** Replies would go to another organization or a free-mail address than the From domain. */
  replyToDiverts: boolean;
  /** …to a free-mail address while the From is a company's: the hijacked-account shape. */
  replyToFreeMail: boolean;
  freeMail: boolean;
  /**
   * A first contact whose email presents itself as a reply (In-Reply-To, References or a "Re:"
   * subject) to nothing the owner sent: a forged thread, the cold pitch's and the fraudster's way
   * of looking expected.
   */
  strangerReply: boolean;
  /** `From: "" <>` or no address at all: nobody legitimate sends that. */
  emptyFrom: boolean;
  /** Sent by a program (no-reply addresses, Auto-Submitted: auto-generated), not mass mail by itself. */
  automated: boolean;
  /** A public authority's domain (`dgi.gouv.ci`, `*.gov`, `bceao.int`): tax, customs, courts, regulators. */
  official: boolean;
  /**
   * The company hosting the mailbox writing from its account service (Google for a Gmail or
   * Workspace mailbox, Microsoft for Exchange Online), authenticated: its security alerts are about
   * the owner's own account — no stranger's mail, although nobody writes to their provider first.
   */
  mailboxProvider: boolean;
  /** Gmail's IMPORTANT label: the provider's own per-user judgement. */
  providerImportant: boolean;
  providerCategory: ProviderCategory | null;
  /** The owner corrected one of this sender's emails to critical. */
  trustedByCorrection: boolean;
  /**
   * What the organization's CRM says of the sender: a key client (a contact with an open deal at or
   * above the organization's threshold), a contact, or a colleague at a contact's company.
   */
  crm: "key_client" | "contact" | "domain" | null;
  /** The contact's largest open deal in XOF (0 when none). */
  crmOpenDealXof: number;
};

/** "Do not answer" in an address's local part. */
const NO_REPLY_WORDS = `no-?reply|noreply|ne-?pas-?repondre|nepasrepondre|do-?not-?reply|donotreply`;
/** A program's address: "noreply@", "notifications@", "mailer-daemon@"… */
const NO_REPLY = new RegExp(
  `^(?:${NO_REPLY_WORDS}|notifications?|notification-noreply|notify|alerts?|alertes?|mailer-daemon|postmaster|bounces?|automated|auto|system|robot)(?:[@+._-]|$)`,
  "i",
);
/** "messages-noreply@", "account-security-noreply@", "billing.donotreply@": a no-reply part anywhere. */
const NO_REPLY_PART = new RegExp(`^[^@]*[._+-](?:${NO_REPLY_WORDS})(?:[@+._-]|$)`, "i");

/**
 * Where each mailbox host sends its account mail from (security alerts, sign-ins, password
 * changes, the subscription's billing): whole hosts (`@accounts.google.com`) or exact addresses —
 * never the whole organizational domain, since google.com also sends Drive shares, Calendar
 * invitations and Docs comments, whose text whoever shares writes.
 */
const HOST_ACCOUNT_SENDERS: Record<MailboxHost, string[]> = {
  google: ["@accounts.google.com", "payments-noreply@google.com"],
  microsoft: ["@accountprotection.microsoft.com", "@accounts.microsoft.com"],
  other: [],
};

function fromHostAccount(address: string, host: MailboxHost): boolean {
  const a = address.trim().toLowerCase();
  return HOST_ACCOUNT_SENDERS[host].some((s) => (s.startsWith("@") ? a.endsWith(s) : a === s));
}

function addressing(msg: Pick<NormalizedMessage, "to" | "cc">, mailbox: string): Addressing {
  const me = mailbox.trim().toLowerCase();
  if (!me) return "to";
  if (msg.to.some((a) => a.address.toLowerCase() === me)) return "to";
  if (msg.cc.some((a) => a.address.toLowerCase() === me)) return "cc";
  return "neither";
}

function diverts(msg: NormalizedMessage, fromDomain: string): boolean {
  return msg.replyTo.some((r) => {
    const d = domainOf(r.address);
    if (!d || d === fromDomain) return false;
    if (isFreeMail(d))
      return !isFreeMail(fromDomain) || organizationalDomain(d) !== organizationalDomain(fromDomain);
    return organizationalDomain(d) !== organizationalDomain(fromDomain);
  });
}

export function senderSignals(
  msg: NormalizedMessage,
  mailboxAddress: string,
  facts: RelationshipFacts,
  host: MailboxHost = "other",
): SenderSignals {
  const fromDomain = domainOf(msg.from.address);
  // A colleague's address is the easiest thing to forge: "internal" needs the receiving server to
  // have verified the sender — DMARC for mail that crossed the internet (Google Workspace signs
  // intra-company mail too), or Exchange Online's own submission check for mail that never left
  // the tenant (it carries no DMARC verdict at all).
  const colleague = sameOrganization(fromDomain, domainOf(mailboxAddress));
  const tenantInternal =
    host === "microsoft" &&
    colleague &&
    (msg.headers["x-ms-exchange-organization-authas"] ?? "").trim().toLowerCase() === "internal";
  const authentication = tenantInternal
    ? "pass"
    : authenticationOf(msg.headers["authentication-results"], fromDomain);
  const claimed: Relationship =
    colleague && authentication === "pass"
      ? "internal"
      : facts.thread
        ? "thread"
        : facts.addressSent > 0 ||
            facts.domainSent > 0 ||
            facts.trustedByCorrection ||
            facts.crmContact ||
            facts.crmDomain
          ? "known"
          : "first_contact";
  const impersonation = (claimed !== "first_contact" || colleague) && authentication === "fail";
  const auto = (msg.headers["auto-submitted"] ?? "").trim().toLowerCase();
  return {
    relationship: impersonation ? "first_contact" : claimed,
    authentication,
    addressing: addressing(msg, mailboxAddress),
    impersonation,
    lookalike: facts.lookalike,
    replyToDiverts: fromDomain !== "" && diverts(msg, fromDomain),
    replyToFreeMail:
      fromDomain !== "" &&
      !isFreeMail(fromDomain) &&
      msg.replyTo.some((r) => domainOf(r.address) !== "" && isFreeMail(domainOf(r.address))),
    freeMail: fromDomain !== "" && isFreeMail(fromDomain),
    strangerReply:
      claimed === "first_contact" &&
      Boolean(
        msg.headers["in-reply-to"] ||
          msg.headers.references ||
          hasReplyPrefix(msg.subject, { forwards: false }),
      ),
    emptyFrom: !msg.from.address.includes("@") || fromDomain === "",
    automated:
      NO_REPLY.test(msg.from.address) || NO_REPLY_PART.test(msg.from.address) || auto === "auto-generated",
    official: fromDomain !== "" && isPublicAuthority(fromDomain),
    mailboxProvider: authentication === "pass" && fromHostAccount(msg.from.address, host),
    providerImportant: msg.labels.includes("IMPORTANT"),
    providerCategory: msg.category,
    trustedByCorrection: facts.trustedByCorrection && authentication !== "fail",
    // A spoofed client is no client: the CRM vouches for the address only when it is not forged.
    crm: impersonation
      ? null
      : facts.crmKeyClient
        ? "key_client"
        : facts.crmContact
          ? "contact"
          : facts.crmDomain
            ? "domain"
            : null,
    crmOpenDealXof: impersonation ? 0 : facts.crmOpenDealXof,
  };
}
