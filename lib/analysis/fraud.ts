import { fold } from "@/lib/analysis/text";

/*
 * Payment fraud and phishing, on folded text. What is found here is evidence about the words
 * only; what it means depends on who sent them (fallback.ts and guard.ts decide with the sender
 * signals): a payee change from a known supplier's thread or a look-alike domain is the costliest
 * email a manager can get, the same words from a stranger are a scam, and a known client asking
 * for the owner's RIB to pay an invoice is ordinary business.
 *
 * - payee_change: the SENDER's payment destination changes. Recognised by its structure rather
 *   than by "nouveau RIB": a change word tied to payment details, "future payments … to the
 *   account below", or "the old account is closed / under audit".
 * - details_request: someone asks for the OWNER's bank details or credentials.
 * - advance_fee: the 419 shape — funds to release or receive, a beneficiary, an account "to
 *   receive the funds".
 * - urgent_transfer: an urgent, discreet transfer to an account (the "CEO fraud").
 */

export type FraudEvidence = {
  payeeChange: boolean;
  detailsRequest: boolean;
  advanceFee: boolean;
  urgentTransfer: boolean;
  /** Credential-phishing cues found (0 = none); 2 or more is a phishing shape. */
  phishingScore: number;
  /** A link to an executable: malware, whoever sent it. */
  dangerousLink: boolean;
};

const DETAILS = `(?:coordonnees bancaires|references bancaires|domiciliation(?: bancaire)?|rib|iban|compte bancaire|numero de compte|compte|bank details|banking details|bank account|account details|account number|payment details|remittance details|wire instructions|payment instructions|beneficiary details)`;
const OURS = `(?:nos|notre|leurs?|la|le|les|l'|our|the|my|mon|ma|mes)?`;
const YOURS = `(?:vos|votre|ton|tes|your)`;
const CHANGE = `(?:changement|modification|mise a jour|actualisation|nouvelles?|nouveaux?|nouvel|change|changed|update|updated|new|revised|different)`;

const PAYEE_CHANGE: RegExp[] = [
  new RegExp(String.raw`\b${CHANGE}\s+(?:de\s+|des\s+|d'|of\s+)?${OURS}\s*${DETAILS}\b`),
  new RegExp(
    String.raw`\b${OURS}\s*${DETAILS}\b[^.!?\n]{0,50}\b(?:ont change|a change|changent|change|modifiee?s?|ne sont plus valables?|n'est plus valable|have changed|has changed|changed|are no longer valid|is no longer valid|has been updated|have been updated)\b`,
  ),
  // "désormais / from now on … payments … to the account below"
  /\b(?:desormais|dorenavant|a compter d[eu]|a partir d[eu]|a partir de maintenant|from now on|going forward|henceforth|with immediate effect|with effect from|all future|toutes? (?:vos |les )?(?:prochaine?s?|futur(?:e?s)?))\b[^.!?\n]{0,80}\b(?:paiements?|reglements?|virements?|versements?|payments?|remittances?|transfers?)\b[^.!?\n]{0,80}\b(?:compte|account|rib|iban|banque|bank)\b/,
  /\b(?:paiements?|reglements?|virements?|payments?|remittances?)\b[^.!?\n]{0,60}\b(?:desormais|dorenavant|from now on|going forward|henceforth)\b[^.!?\n]{0,60}\b(?:compte|account|rib|iban|banque|bank)\b/,
  // "our previous account is closed / under audit / no longer in use"
  /\b(?:ancien|precedent|actuel|habituel|old|previous|usual|current|existing)\s+(?:compte|rib|iban|account|bank account)\b[^.!?\n]{0,60}\b(?:cloture|ferme|bloque|suspendu|gele|en audit|sous audit|n'est plus|ne plus|closed|frozen|blocked|suspended|under (?:audit|review)|no longer)\b/,
  /\b(?:ne plus|n'utilisez plus|cessez d'utiliser|do not use|stop using|no longer use)\b[^.!?\n]{0,40}\b(?:ancien|precedent|old|previous)s?\s+(?:compte|rib|iban|account)/,
];

// The gap may run over a line break: requests are often lists ("merci de nous envoyer :\n- votre RIB").
const SEND = `(?:envoye[rz]?|communique[rz]?|transmet(?:tre|tez)|fournir|fournissez|confirme[rz]?|mettre a jour|mettez a jour|renseigne[rz]?|indique[rz]?|retourne[rz]?|renvoye[rz]?|send|provide|confirm|update|share|submit|verify|return|reply with)`;
/** A secret nobody legitimate asks for by email, whoever's it is said to be ("le mot de passe de votre accès"). */
const SECRET = `(?:identifiants?|mot de passe|mots de passe|code (?:pin|secret|otp)|credentials|password|passwords|login details)`;
const DETAILS_REQUEST = new RegExp(
  String.raw`\b${SEND}\b[^.!?]{0,40}\b${YOURS}\s+(?:${DETAILS}|${SECRET}|login|piece d'identite|releve bancaire|bank statement|id card|passport)\b|\b${SEND}\b[^.!?]{0,60}\b${SECRET}\b`,
);

const ADVANCE_FEE: RegExp[] = [
  /\b(?:compte|account)\b[^.!?\n]{0,40}\b(?:recevoir|receive|receiving|reception)\b[^.!?\n]{0,30}\b(?:fonds|funds|somme|sum|transfert|transfer|money)\b/,
  /\b(?:transfert|transfer|liberation|release|rapatriement|repatriation)\s+(?:de[s]?\s+|of\s+(?:the\s+)?)?(?:fonds|funds|somme|sum)\b/,
  /\b(?:next of kin|plus proche parent|beneficiaire|beneficiary|heritage|heritier|inheritance|heir|consignment|colis diplomatique|diplomatic (?:box|package)|fonds en desherence|dormant account|compte dormant|unclaimed funds)\b/,
  /\b(?:faire don|fait don|don de la somme|donation|donate|legs)\b/,
  // The 419's appeal to trust and faith.
  /\b(?:personne honnete|personne de confiance|honest person|trustworthy person|que dieu vous benisse|god bless you|dans mes prieres|in my prayers)\b/,
];

const URGENT_TRANSFER =
  /\b(?:virement|transfert|paiement|wire|transfer|payment)\b[^.]{0,60}\b(?:urgent|immediat|aujourd'hui|today|immediately|asap|sans delai)\b|\b(?:urgent|immediat|aujourd'hui|today|immediately|asap)\b[^.]{0,40}\b(?:virement|transfert|wire transfer|wire)\b/;
const SECRECY =
  /\b(?:en toute discretion|confidentiel(?:le)?|ne (?:pas )?en parler|n'en parlez|strictement confidentiel|keep (?:this|it) (?:confidential|between us)|do not (?:discuss|tell)|discreet)\b/;
const TO_ACCOUNT = /\b(?:compte|account|rib|iban|coordonnees|beneficiaire|beneficiary|details)\b/;

const CREDENTIALS = [
  /\b(?:verifie[rz]?|confirme[rz]?|mettre a jour|mettez a jour|reactive[rz]?|debloque[rz]?|verify|confirm|update|reactivate|unlock|validate)\b[^.]{0,40}\b(?:votre compte|vos identifiants|votre identite|vos informations|your account|your identity|your credentials|your details|your information)\b/,
  /\b(?:mot de passe|identifiants?|code pin|code secret|password|login details|credentials|pin code|code otp)\b/,
  /\b(?:suspendu|bloque|desactive|ferme|suspended|locked|disabled|deactivated)\b[^.]{0,40}\b(?:24|48|72)\s?h/,
  /\b(?:cliquez|click|appuyez)\b[^.]{0,30}\b(?:ici|lien|here|link|below|ci-dessous)\b/,
  /\b(?:vous avez gagne|you have won|you(?:'ve| have) been selected|loterie|lottery|gagnant|winner)\b/,
  // Pay-by-link, and the short window before a loss ("sans paiement sous 48h, le colis sera retourné").
  /\b(?:payez|payer|reglez|regler|pay|settle)\b[^.]{0,40}\b(?:par carte|carte bancaire|en ligne|by card|credit card|online|via ce lien|via the link)\b/,
  /\b(?:sans|faute de|without|failing)\b[^.]{0,40}\b(?:paiement|payment|reponse|response|verification|confirmation)\b[^.]{0,40}\b(?:24|48|72)\s?h/,
];

/** A link to a program, or a document that is one ("facture.pdf.exe"): no legitimate email sends that. */
const DANGEROUS_LINK =
  /https?:\/\/\S+?\.(?:exe|scr|bat|cmd|com|js|jse|vbs|vbe|jar|msi|ps1|hta|lnk)(?=[\s"'<>)]|$)/i;

/** Two 419 cues, or one with millions in a foreign currency ("4.5 million US dollars"). */
function advanceFee(t: string): boolean {
  const cues = ADVANCE_FEE.filter((p) => p.test(t)).length;
  return (
    cues >= 2 ||
    (cues === 1 && /\bmillions?\s+(?:de\s+|of\s+)?(?:us\s+)?(?:dollars?|usd|euros?|livres|pounds)\b/.test(t))
  );
}

/** A bank's, the tax office's or a support desk's name on a free-mail address. */
const OFFICIAL_NAME = /\b(?:banque|bank|dgi|impots|tresor|douane|service client|support|securite|security)\b/;

export function scanFraud(text: string, sender: { name: string | null; freeMail: boolean }): FraudEvidence {
  const t = fold(text);
  let phishingScore = CREDENTIALS.filter((p) => p.test(t)).length;
  if (sender.freeMail && OFFICIAL_NAME.test(fold(sender.name ?? ""))) phishingScore++;
  const detailsRequest = DETAILS_REQUEST.test(t);
  return {
    // Asking for YOUR details is not a change of OURS: "mettez à jour vos coordonnées bancaires".
    payeeChange: PAYEE_CHANGE.some((p) =>
      p.test(t.replace(new RegExp(String.raw`\b${YOURS}\s+${DETAILS}`, "g"), " ")),
    ),
    detailsRequest,
    advanceFee: advanceFee(t),
    urgentTransfer: URGENT_TRANSFER.test(t) && TO_ACCOUNT.test(t) && SECRECY.test(t),
    phishingScore: phishingScore + (detailsRequest ? 1 : 0),
    dangerousLink: DANGEROUS_LINK.test(text),
  };
}
