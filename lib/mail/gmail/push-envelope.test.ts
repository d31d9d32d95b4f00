import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { compareHistoryIds, maxHistoryId } from "@/lib/mail/gmail/history-id";
import { pubSubPushSchema } from "@/lib/mail/gmail/push-envelope";
import { createGoogleFake } from "@/lib/testing/google-fake";

const fake = createGoogleFake();

function envelopeWith(data: string) {
  return {
    message: { data, messageId: "2070443601311540", publishTime: "2026-11-20T08:15:01.123Z" },
    subscription: "projects/fluxasync/subscriptions/gmail-push",
  };
}
const encode = (v: unknown, enc: "base64" | "base64url" = "base64") =>
  Buffer.from(JSON.stringify(v)).toString(enc);

describe("pubSubPushSchema", () => {
  it("decodes Gmail's notification from a Pub/Sub push body", () => {
    const body = fake.pushEnvelope("Direction@Sotra.ci", { historyId: "9876543210" });
    expect(pubSubPushSchema.parse(body)).toEqual({
      emailAddress: "direction@sotra.ci",
      historyId: "9876543210",
      pubSubMessageId: body.message.messageId,
      publishTime: body.message.publishTime,
      subscription: "projects/fluxasync-test/subscriptions/gmail-push",
    });
  });

  it("accepts a numeric historyId and keeps it a decimal string", () => {
    const body = envelopeWith(encode({ emailAddress: "a@b.ci", historyId: 4200123 }));
    expect(pubSubPushSchema.parse(body).historyId).toBe("4200123");
  });

  it("accepts base64url data", () => {
    // "?>" in the JSON makes standard base64 use '/' where base64url uses '_'.
    const json = { emailAddress: "a@b.ci", historyId: "17", note: "??>>??>>" };
    const data = encode(json, "base64url");
    expect(data).toMatch(/[_-]/);
    expect(pubSubPushSchema.parse(envelopeWith(data)).historyId).toBe("17");
  });

  it.each([
    ["a non-numeric historyId", envelopeWith(encode({ emailAddress: "a@b.ci", historyId: "12abc" }))],
    ["a negative historyId", envelopeWith(encode({ emailAddress: "a@b.ci", historyId: -5 }))],
    ["a fractional historyId", envelopeWith(encode({ emailAddress: "a@b.ci", historyId: 1.5 }))],
    [
      "a historyId beyond exact numbers",
      envelopeWith(encode({ emailAddress: "a@b.ci", historyId: 2 ** 60 })),
    ],
    ["no emailAddress", envelopeWith(encode({ historyId: "1" }))],
    ["data that is not base64", envelopeWith("%%%")],
    ["base64 that is not JSON", envelopeWith(Buffer.from("hello").toString("base64"))],
    ["no message", { subscription: "s" }],
    [
      "no messageId",
      {
        message: { data: encode({ emailAddress: "a@b.ci", historyId: "1" }), publishTime: "t" },
        subscription: "s",
      },
    ],
    ["not an object", "hello"],
  ])("rejects %s with a ZodError", (_label, body) => {
    expect(() => pubSubPushSchema.parse(body)).toThrow(ZodError);
  });
});

describe("history ids", () => {
  it("compare as numbers, not strings", () => {
    expect(compareHistoryIds("999", "1000")).toBeLessThan(0);
    expect(compareHistoryIds("18446744073709551615", "18446744073709551614")).toBeGreaterThan(0);
    expect(maxHistoryId("999", "1000")).toBe("1000");
    expect(maxHistoryId("5", "5")).toBe("5");
  });
});
