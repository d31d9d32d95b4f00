/**
 * The delegated permissions each Graph endpoint of the fake requires, from the "Permissions" table
 * of its page in microsoftgraph/microsoft-graph-docs-contrib (api-reference/v1.0/api, read
 * 2026-12). A token carries the permissions it was granted (the `scp` claim of a real token); a
 * call without one of the listed permissions gets Graph's 403 ErrorAccessDenied. Graph's
 * permission reference treats `*.ReadWrite` as including `*.Read`, so both are listed.
 */
export const GRAPH_ENDPOINT_PERMISSIONS: Record<string, readonly string[]> = {
  // message-delta.md: Mail.ReadBasic, Mail.Read (we read bodies later, so never ReadBasic alone).
  delta: ["Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"],
  // user-list-messages.md (a folder's messages: Sent Items for the relationship store): Mail.ReadBasic
  // or Mail.Read; our $select asks only for recipients and dates, which ReadBasic includes.
  "sent.list": ["Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"],
  // message-get.md: Mail.ReadBasic does not include the body; our $select asks for it.
  "messages.get": ["Mail.Read", "Mail.ReadWrite"],
  // attachment-get.md: Mail.Read (the file's bytes, for lib/attachments).
  "attachments.get": ["Mail.Read", "Mail.ReadWrite"],
  "attachments.value": ["Mail.Read", "Mail.ReadWrite"],
  // message-update.md: Mail.ReadWrite (categories, isRead).
  "messages.patch": ["Mail.ReadWrite"],
  // message-move.md: Mail.ReadWrite.
  "messages.move": ["Mail.ReadWrite"],
  // message-reply.md: Mail.Send, the only permission listed (Mail.ReadWrite does not send).
  "messages.reply": ["Mail.Send"],
  // user-sendmail.md: Mail.Send (the MIME form of the automatic replies, lib/mail/outlook/api.ts).
  sendMail: ["Mail.Send"],
  // outlookuser-list-mastercategories.md: MailboxSettings.Read.
  "categories.list": ["MailboxSettings.Read", "MailboxSettings.ReadWrite"],
  // outlookuser-post-mastercategories.md: MailboxSettings.ReadWrite.
  "categories.create": ["MailboxSettings.ReadWrite"],
  // subscription-post-subscriptions.md ("creating a subscription requires read scope to the
  // resource"), subscription-update.md and subscription-delete.md: Mail.ReadBasic or Mail.Read for
  // message resources.
  "subscriptions.create": ["Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"],
  "subscriptions.renew": ["Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"],
  "subscriptions.delete": ["Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"],
};

/** `scope` as the authorize request names it ("https://graph.microsoft.com/Mail.ReadWrite") → "Mail.ReadWrite". */
export function graphPermissions(scope: string): string[] {
  return scope
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => s.replace(/^https:\/\/graph\.microsoft\.com\//i, ""))
    .filter((s) => /^[A-Z]/.test(s));
}

/** True when the granted permissions authorise the endpoint. A new fake endpoint must be listed above. */
export function permits(endpoint: string, granted: readonly string[]): boolean {
  const required = GRAPH_ENDPOINT_PERMISSIONS[endpoint];
  if (!required) throw new Error(`microsoft-fake: no documented permissions for ${endpoint}`);
  return required.some((p) => granted.includes(p));
}
