/*
 * What the sender wrote this time: quoted replies, forwarded-reply headers, signatures, mobile
 * footers and legal disclaimers removed. Used to keep the model input small and the rules
 * focused on the new message (an old "URGENT" in a quoted thread is not news).
 */

// Start of a quoted earlier message; everything from there on is history.
const REPLY_HEADERS: RegExp[] = [
  /^(?:Le|On)\s[^\n]{0,200}(?:\n[^\n]{0,120})?\s(?:a écrit|a ecrit|wrote)\s?:[ \t]*$/im,
  /^-{2,}\s*(?:Original Message|Message d'origine|Message original|Mensaje original)\s*-{2,}\s*$/im,
  /^(?:De|From)\s?:[^\n]*\n(?:(?:Envoyé|Sent|Date|À|To|Cc|Objet|Subject)\s?:[^\n]*\n?){2,}/im,
  /^_{20,}\s*$/m,
];

// A signature block starts here (RFC 3676 delimiter, mobile footers, disclaimers).
const SIGNATURE_STARTS: RegExp[] = [
  /^-- ?$/m,
  /^(?:Envoyé de mon|Envoyé depuis mon|Sent from my|Get Outlook for)\b.*$/im,
  /^(?:Ce (?:message|courriel|e-mail)[^\n]{0,40}(?:confidentiel|destiné)|This (?:e-?mail|message)[^\n]{0,40}(?:confidential|intended))/im,
  /^(?:AVIS DE CONFIDENTIALITÉ|CONFIDENTIALITY NOTICE|DISCLAIMER)\b/im,
];

// Sign-offs: what follows is name, title and phone numbers.
const SIGN_OFF =
  /^(?:Cordialement|Bien cordialement|Bien à vous|Salutations|Sincères salutations|Meilleures salutations|Respectueusement|Merci et bonne journée|Best regards|Kind regards|Regards|Best|Thanks and regards|Sincerely|Yours sincerely|Cheers)\b[ ,.!]*$/im;

function cutAt(text: string, pattern: RegExp, minKeep: number): string {
  const m = pattern.exec(text);
  if (!m || m.index < minKeep) return text;
  return text.slice(0, m.index);
}

export function stripQuotedAndSignature(body: string): string {
  let text = body.replace(/\r\n?/g, "\n");
  for (const header of REPLY_HEADERS) text = cutAt(text, header, 1);
  // Inline quoted lines ("> ...") from bottom- or interleaved-posting.
  text = text
    .split("\n")
    .filter((line) => !/^\s*>/.test(line))
    .join("\n");
  for (const start of SIGNATURE_STARTS) text = cutAt(text, start, 1);
  const signOff = SIGN_OFF.exec(text);
  // Only a sign-off near the end: a "Regards" in the first lines is part of the message.
  if (signOff && signOff.index > 0 && text.length - signOff.index < 400) {
    text = text.slice(0, signOff.index + signOff[0].length);
  }
  const cleaned = text
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return cleaned.length > 0 ? cleaned : body.trim();
}

/** Paragraphs (blocks separated by blank lines), trimmed, empty ones dropped. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * The first paragraph that carries content: a bare greeting ("Bonjour Monsieur Traoré,") is
 * joined with the paragraph after it, so "first paragraph" always says something.
 */
export function firstParagraph(text: string): string {
  const [first = "", second] = paragraphs(text);
  const greetingOnly =
    first.length < 60 && /^(?:bonjour|bonsoir|cher|chère|madame|monsieur|hello|hi|dear|salut)\b/i.test(first);
  return greetingOnly && second ? `${first}\n\n${second}` : first;
}
