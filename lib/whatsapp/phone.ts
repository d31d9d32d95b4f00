/*
 * WhatsApp ids of phone numbers: the Cloud API writes E.164 without its `+`. Numbers themselves
 * (validation, E.164, display) are lib/domain/phone.ts.
 */

/** The Cloud API wants the number without `+` (`to`) and reports senders that way (`wa_id`). */
export function toWaId(e164: string): string {
  if (!/^\+[1-9]\d{6,14}$/.test(e164)) throw new Error("Expected an E.164 number with a leading +");
  return e164.slice(1);
}

/** A WhatsApp id as E.164. Meta's form is authoritative, so it is not re-validated. */
export function fromWaId(waId: string): string {
  return `+${waId.replace(/\D/g, "")}`;
}
