import { addressParser, decodeWords } from "postal-mime";
import type { EmailAddress } from "@/lib/mail/types";

/** Gmail decodes RFC 2047 words in header values, but malformed senders can leave some behind. */
export function decodeHeader(value: string | undefined): string {
  if (value === undefined) return "";
  return decodeWords(value)
    .replace(/\s*\r?\n\s*/g, " ")
    .trim();
}

/** An address header ("Awa <a@b.ci>, c@d.ci", groups flattened) as addresses with their names. */
export function parseAddressHeader(value: string | undefined): EmailAddress[] {
  if (!value) return [];
  const out: EmailAddress[] = [];
  for (const a of addressParser(decodeHeader(value), { flatten: true })) {
    if (a.address) out.push({ name: a.name.trim() === "" ? null : a.name.trim(), address: a.address });
  }
  return out;
}

/** Just the addresses of an address header. */
export function addressList(value: string | undefined): string[] {
  return parseAddressHeader(value).map((a) => a.address);
}
