import { fold } from "@/lib/analysis/text";

/*
 * Payment fraud and phishing, on folded text. A bank-detail change ("nouveau RIB", "our bank
 * details have changed") or an urgent, discreet transfer is the costliest email a manager can
 * get: it is raised, never buried, and the advice is always to call a known contact.
 */

const BANK_CHANGE: RegExp[] = [
  /\b(?:changement|modification|mise a jour|actualisation)\s+(?:de\s+|des\s+)?(?:nos\s+|notre\s+|vos\s+|leurs?\s+)?(?:coordonnees bancaires|rib|iban|compte bancaire|domiciliation bancaire|references bancaires)/,
  /\b(?:nouveau|nouvel|nouvelles?)\s+(?:rib|iban|compte|numero de compte|coordonnees bancaires|domiciliation|banque)\b/,
  /\bcoordonnees bancaires\b[^.]{0,40}\b(?:ont change|changent|modifiees|ne sont plus valables)/,
  /\b(?:ne plus|n'utilisez plus|cessez d')[^.]{0,40}\b(?:ancien|precedent)s?\s+(?:compte|rib|iban)/,
  /\b(?:change|update|updated|new|changed)\s+(?:of\s+)?(?:our\s+|the\s+)?(?:bank|banking|payment|remittance|wire)\s+(?:details|information|instructions|account)/,
  /\b(?:bank|banking|account)\s+details\s+(?:have|has)\s+(?:changed|been updated)/,
  /\bnew\s+(?:bank\s+)?account\s+(?:number|details)\b/,
];

const URGENT_TRANSFER =
  /\b(?:virement|transfert|paiement|wire|transfer|payment)\b[^.]{0,60}\b(?:urgent|immediat|aujourd'hui|today|immediately|asap|sans delai)\b|\b(?:urgent|immediat)\b[^.]{0,40}\b(?:virement|transfert|wire transfer)\b/;
const SECRECY =
  /\b(?:en toute discretion|confidentiel(?:le)?|ne (?:pas )?en parler|n'en parlez|strictement confidentiel|keep (?:this|it) (?:confidential|between us)|do not (?:discuss|tell)|discreet)\b/;
const TO_ACCOUNT = /\b(?:compte|account|rib|iban)\b/;

export type FraudKind = "bank_detail_change" | "urgent_transfer" | "phishing";

const CREDENTIALS = [
  /\b(?:verifie[rz]?|confirme[rz]?|mettre a jour|mettez a jour|reactive[rz]?|debloque[rz]?|verify|confirm|update|reactivate|unlock|validate)\b[^.]{0,40}\b(?:votre compte|vos identifiants|votre identite|vos informations|your account|your identity|your credentials|your details|your information)\b/,
  /\b(?:mot de passe|identifiants?|code pin|code secret|password|login details|credentials|pin code|one-time code|code otp)\b/,
  /\b(?:suspendu|bloque|desactive|ferme|suspended|locked|disabled|deactivated)\b[^.]{0,40}\b(?:24|48|72)\s?h/,
  /\b(?:cliquez|click|appuyez)\b[^.]{0,30}\b(?:ici|lien|here|link|below|ci-dessous)\b/,
  /\b(?:vous avez gagne|you have won|you(?:'ve| have) been selected|loterie|lottery|heritage|inheritance|gagnant|winner)\b/,
];

const FREEMAIL =
  /@(?:gmail|yahoo|hotmail|outlook|live|aol|proton|protonmail|gmx|mail|yandex|icloud)\.[a-z.]+$/i;

export type FraudScan = { kind: FraudKind | null; phishingScore: number };

/**
 * `displayName` and `address` catch the classic phishing shape: a bank's or the tax office's
 * name on a free-mail address.
 */
export function scanFraud(text: string, sender: { address: string; name: string | null }): FraudScan {
  const t = fold(text);
  let phishingScore = CREDENTIALS.filter((p) => p.test(t)).length;
  const name = fold(sender.name ?? "");
  if (
    FREEMAIL.test(sender.address) &&
    /\b(?:banque|bank|dgi|impots|tresor|douane|service client|support|securite|security)\b/.test(name)
  ) {
    phishingScore++;
  }
  if (BANK_CHANGE.some((p) => p.test(t))) return { kind: "bank_detail_change", phishingScore };
  if (URGENT_TRANSFER.test(t) && TO_ACCOUNT.test(t) && SECRECY.test(t))
    return { kind: "urgent_transfer", phishingScore };
  return { kind: phishingScore >= 2 ? "phishing" : null, phishingScore };
}
