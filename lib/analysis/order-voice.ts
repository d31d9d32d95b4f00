import { BUYER_VOICE, SELLER_VOICE } from "@/lib/analysis/keywords";
import type { Category } from "@/lib/analysis/schema";
import type { Signals } from "@/lib/analysis/signals";
import { countWords, fold } from "@/lib/analysis/text";

/**
 * Client or supplier, for an email about orders, deliveries, quotes or complaints: the words say
 * it is commerce, not which side the sender is on. A client complaining that "ma commande n'est
 * toujours pas livrée" uses the delivery vocabulary a supplier uses too. What tells them apart is
 * who ordered from whom — the buyer's first person against the seller's — and, when the wording
 * does not say, the relationship: a contact of the organization's CRM is a client.
 */
export function orderSide(s: Pick<Signals, "text" | "sender">, suggested: Category): Category {
  if (suggested !== "client" && suggested !== "supplier") return suggested;
  const text = fold(s.text);
  const buyer = countWords(text, BUYER_VOICE);
  const seller = countWords(text, SELLER_VOICE);
  if (buyer > seller) return "client";
  if (seller > buyer) return "supplier";
  return s.sender.crm ? "client" : suggested;
}
