import { BUYER_VOICE, SELLER_VOICE } from "@/lib/analysis/keywords";
import { countWords, fold } from "@/lib/analysis/text";

/*
 * Who wants something from whom, told by the email's shape rather than its topic: the buyer's
 * voice ("vos tarifs", "can you supply") against the seller's ("notre offre", "our price list"),
 * a salesperson's signature, and the links of a campaign (many of them, or tracked). A first
 * contact who asks for the owner's goods, prices or services is a prospect; one who offers their
 * own is a cold pitch, however concrete its figures and dates.
 */

export type Solicitation = {
  /** Distinct buyer's-voice phrases (the sender wants to buy or complains about what they bought). */
  buyer: number;
  /** Distinct seller's-voice phrases (the sender sells, bills or ships). */
  seller: number;
  /** Distinct web links in the text and the HTML. */
  links: number;
  /** A link carrying a campaign's tracking parameters (utm_…, mc_cid, mkt_tok, click redirects). */
  trackedLink: boolean;
  /** The signature gives a sales, marketing or business-development role. */
  salesRole: boolean;
  /** A link carries the owner's own address ("…/verify?u=dg@company.ci"): a personalised lure. */
  recipientInLink: boolean;
};

/**
 * A price stated with its Incoterm ("USD 6.20/m² FOB", "1 450 000 FCFA CIF Abidjan"): the seller's
 * own price. A buyer names the term without a figure ("your best price FOB Cotonou").
 */
const PRICED_TERM =
  /\d(?:[\d.,\s\u00a0\u202f]*\d)?\s*(?:[a-z]{1,4}\s*)?(?:\/\s*[a-z0-9²³]{1,6}\s*)?(?:fob|exw|fca|cfr|cif|cpt|cip|dap|dpu|ddp)\b/;

const URL = /https?:\/\/[^\s"'<>)\]]+/gi;
const TRACKED =
  /[?&](?:utm_[a-z]+|mc_[ce]id|mkt_tok|_hsenc|trk|tracking_id)=|\/(?:click|track|trk)(?:[/?]|$)/i;
const SALES_ROLE =
  /\b(?:business development|business developer|sales|account (?:manager|executive|director)|key account|responsable commercial(?:e)?|direct(?:eur|rice) commercial(?:e)?|charge(?:e)? d'affaires|charge(?:e)? de clientele|conseill(?:er|ere) commercial(?:e)?|ingenieur commercial|technico-commercial(?:e)?|attache(?:e)? commercial(?:e)?|commercial(?:e)? (?:terrain|export|grands comptes)|marketing|growth|partnerships? (?:manager|lead|director)|customer success|developpe(?:ur|use) d'affaires|developpement commercial)\b/;

/** The signature's lines: short lines at the end of the new text (before any quoted history). */
function signatureLines(readable: string): string[] {
  const lines = readable
    .slice(0, 30_000)
    .split("\n")
    .map((l) => l.trim());
  const quoted = lines.findIndex(
    (l) => l.startsWith(">") || /^(?:le .{0,80} a ecrit|on .{0,80} wrote)\s*:?$/i.test(fold(l)),
  );
  const own = quoted >= 0 ? lines.slice(0, quoted) : lines;
  return own.filter((l) => l.length > 0 && l.length <= 70).slice(-8);
}

function decodeLoosely(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url.replace(/%40/gi, "@");
  }
}

export function solicitationOf(
  folded: string,
  readable: string,
  raw: { text: string; html: string | null },
  mailbox = "",
): Solicitation {
  const urls = new Set<string>();
  let trackedLink = false;
  let recipientInLink = false;
  const me = mailbox.trim().toLowerCase();
  for (const source of [raw.text, raw.html ?? ""]) {
    // A campaign's links are in its first screens; the rest of a 200 kB HTML adds nothing but time.
    for (const m of source.slice(0, 50_000).matchAll(URL)) {
      const url = m[0].replace(/&amp;/g, "&").replace(/[.,;:!]+$/, "");
      urls.add(url.replace(/#.*$/, ""));
      if (TRACKED.test(url)) trackedLink = true;
      if (me && decodeLoosely(url).toLowerCase().includes(me)) recipientInLink = true;
      if (urls.size > 50) break;
    }
  }
  return {
    buyer: countWords(folded, BUYER_VOICE),
    seller: countWords(folded, SELLER_VOICE) + (PRICED_TERM.test(folded) ? 1 : 0),
    links: urls.size,
    trackedLink,
    salesRole: signatureLines(readable).some((l) => SALES_ROLE.test(fold(l))),
    recipientInLink,
  };
}

/** The shape of a campaign or a seller's approach: what a prospect's or an authority's email is not. */
export function sellerShaped(s: {
  solicitation: Solicitation;
  pitch: number;
  promo: number;
  newsletter: number;
}): boolean {
  const x = s.solicitation;
  return (
    s.pitch > 0 ||
    s.promo > 0 ||
    s.newsletter > 0 ||
    x.salesRole ||
    x.trackedLink ||
    x.links >= 3 ||
    x.seller > x.buyer
  );
}
