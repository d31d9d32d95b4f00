import { boundedBody, fold, readableSubject } from "@/lib/analysis/text";
import type { NormalizedMessage } from "@/lib/mail/types";

const MONEY_TALK =
  /\b(?:rib|iban|swift|bic|compte|coordonnees bancaires|banque|virement|paiement|reglement|facture|bank|account|wire|payment|remittance|invoice|transfer)\b/;

/**
 * Whether an email is worth the look-alike lookup (about a thousand hashed domain variants): only
 * when it talks money or bank details, where a look-alike sender is the fraud to catch. The
 * production job and the evaluation decide it the same way.
 */
export function wantsLookalikeCheck(msg: Pick<NormalizedMessage, "subject" | "text">): boolean {
  return MONEY_TALK.test(
    fold(`${readableSubject(msg.subject.slice(0, 500))}\n${boundedBody(msg.text, 20_000, 2_000)}`),
  );
}
