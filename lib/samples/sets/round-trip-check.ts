import PostalMime from "postal-mime";
import { expect } from "vitest";
import { type SetEmail, setEmailHeader } from "@/lib/samples/sets/load-set";
import { setEmailToEml } from "@/lib/samples/sets/set-email-to-eml";

/**
 * Test helper: a labelled email turned into RFC 822 and read back by an independent MIME parser
 * gives the same sender, recipients, subject, Message-ID, body and extra headers, in lines SMTP
 * accepts (998 characters at most).
 */
export async function expectMimeRoundTrip(e: SetEmail): Promise<void> {
  const raw = setEmailToEml(e);
  expect(
    raw.split("\r\n").every((line) => line.length <= 998),
    e.id,
  ).toBe(true);
  if (!e.from) expect(raw, e.id).toMatch(e.fromName ? /^From: ".+" <>\r$/m : /^From: "" <>\r$/m);
  const parsed = await PostalMime.parse(raw);
  expect(parsed.subject, e.id).toBe(e.subject);
  expect(parsed.from?.address ?? "", e.id).toBe(e.from);
  expect(parsed.messageId, e.id).toBe(setEmailHeader(e, "Message-ID"));
  expect((parsed.to ?? []).map((a) => a.address).filter(Boolean), e.id).toEqual(e.to);
  expect(
    (parsed.cc ?? []).map((a) => a.address),
    e.id,
  ).toEqual(e.cc);
  expect((parsed.html ?? parsed.text ?? "").trim(), e.id).toBe(e.text.trim());
  for (const [key, value] of Object.entries(e.headers))
    expect(parsed.headers.find((h) => h.key === key.toLowerCase())?.value, `${e.id} ${key}`).toBe(value);
}
