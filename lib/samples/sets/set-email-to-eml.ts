import { fixture, MIME } from "@/lib/attachments/test-fixtures";
import { type SetEmail, setEmailHeader } from "@/lib/samples/sets/load-set";
import { toEml } from "@/lib/samples/to-eml";

const isHtml = (text: string) => /^\s*<html[\s>]/i.test(text);

/**
 * One email of a labelled set as the RFC 822 message a mailbox would have received: its own
 * Message-ID and thread headers, Cc, undisclosed recipients when To is empty, `From: "" <>` for an
 * empty sender, an HTML part when the body is markup, and its attachments (generated fixtures).
 */
export function setEmailToEml(email: SetEmail): string {
  const { "Message-ID": _written, ...headers } = Object.fromEntries(
    Object.entries(email.headers).map(([k, v]) => [k.toLowerCase() === "message-id" ? "Message-ID" : k, v]),
  );
  if (email.cc.length) headers.Cc = email.cc.join(", ");
  const messageId =
    setEmailHeader(email, "Message-ID")?.replace(/^<|>$/g, "") ?? `${email.id}@sets.fluxasync.test`;
  return toEml({
    from: { name: email.fromName, address: email.from },
    to: email.to.length
      ? email.to.map((address) => ({ address }))
      : [{ address: "undisclosed-recipients:;" }],
    subject: email.subject,
    date: email.date,
    messageId,
    headers,
    text: isHtml(email.text) ? null : email.text,
    html: isHtml(email.text) ? email.text : null,
    attachments: (email.attachments ?? []).map((a) => ({
      filename: a.filename ?? a.fixture,
      mimeType: MIME[a.fixture.split(".").pop() ?? ""] ?? "application/octet-stream",
      content: fixture(a.fixture),
    })),
  });
}
