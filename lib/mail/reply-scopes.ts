import type { ProviderKind } from "@/lib/mail/types";

/*
 * What sending a reply needs beyond what reading the mailbox already asks (the minimum extra):
 * - Gmail: nothing. users.messages.send accepts gmail.modify, which the app already holds (the
 *   method's `scopes` in Gmail's discovery document: mail.google.com, gmail.modify,
 *   gmail.compose, gmail.addons.current.action.compose, gmail.send).
 * - Outlook: Mail.Send. Graph's message-reply page lists Mail.Send as the only delegated
 *   permission; Mail.ReadWrite does not send. Asked by incremental consent when the user enables
 *   replies (Settings › Réponses), never at sign-in.
 */
export const OUTLOOK_SEND_SCOPE = "https://graph.microsoft.com/Mail.Send";

const GMAIL_SENDING = [
  "https://mail.google.com/",
  "https://www.googleapis.com/auth/gmail.modify",
  "https://www.googleapis.com/auth/gmail.compose",
  "https://www.googleapis.com/auth/gmail.send",
];

const granted = (scope: string | null) => new Set((scope ?? "").split(/\s+/).filter(Boolean));

/** Does this grant (the token endpoint's `scope`) let the mailbox send a reply? */
export function grantsReplies(provider: ProviderKind, scope: string | null): boolean {
  if (provider === "sandbox") return true;
  const set = granted(scope);
  if (provider === "gmail") return GMAIL_SENDING.some((s) => set.has(s));
  // Microsoft lists granted scopes by their short name ("Mail.Send") or in full.
  return [...set].some(
    (s) => s.replace(/^https:\/\/graph\.microsoft\.com\//i, "").toLowerCase() === "mail.send",
  );
}
