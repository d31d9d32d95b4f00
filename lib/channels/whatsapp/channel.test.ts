import { describe, expect, it } from "vitest";
import { outcomeOf, whatsAppChannel } from "@/lib/channels/whatsapp/channel";
import { errorFromResponse, OutcomeUnknownError, TransientError } from "@/lib/channels/whatsapp/errors";

const meta = (code: number, status = 400) => errorFromResponse(status, { error: { code, message: "x" } });

describe("WhatsApp behind the channel seam", () => {
  it("maps every Cloud API failure to the shared outcome taxonomy", () => {
    expect(outcomeOf(meta(131026))).toMatchObject({ outcome: "undeliverable", code: 131026 });
    expect(outcomeOf(meta(131047))).toMatchObject({ outcome: "window-closed", code: 131047 });
    expect(outcomeOf(meta(130429))).toMatchObject({ outcome: "retry-after", afterMs: 2_000 });
    expect(outcomeOf(meta(131056))).toMatchObject({ outcome: "retry-after", afterMs: 6_000 });
    expect(outcomeOf(meta(132001))).toMatchObject({ outcome: "permanent", code: 132001 });
    expect(outcomeOf(meta(190, 401))).toMatchObject({ outcome: "permanent", code: 190 });
    expect(outcomeOf(meta(100))).toMatchObject({ outcome: "permanent", code: 100 });
    expect(outcomeOf(new TransientError("503"))).toMatchObject({ outcome: "retry-after", afterMs: null });
    expect(outcomeOf(new OutcomeUnknownError("timeout"))).toMatchObject({ outcome: "unknown" });
  });

  it("rethrows what is not a WhatsApp answer (a bug is not an outcome)", () => {
    expect(() => outcomeOf(new TypeError("boom"))).toThrow(TypeError);
  });

  it("validates addresses as E.164 numbers", () => {
    expect(whatsAppChannel.address.kind).toBe("e164");
    expect(whatsAppChannel.address.parse("+225 07 07 12 34 56")).toBe("+2250707123456");
    expect(whatsAppChannel.address.parse("awa@example.ci")).toBeNull();
  });
});
