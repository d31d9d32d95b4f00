import { describe, expect, it } from "vitest";
import { errorFromStatus, UndeliverableError, WindowClosedError } from "@/lib/channels/whatsapp/errors";
import { parseWebhook, verifySignature, verifySubscription } from "@/lib/channels/whatsapp/transform";
import {
  buttonReplyWebhook,
  FAKE_PHONE_NUMBER_ID,
  imageWebhook,
  signedWebhookRequest,
  signWebhookBody,
  statusWebhook,
  templateButtonWebhook,
  textWebhook,
  verificationRequest,
} from "@/lib/testing/meta-fake";

const eventsOf = (payload: unknown) => parseWebhook(payload)?.events ?? [];

const appSecret = "0123456789abcdef0123456789abcdef";
const at = new Date("2026-11-24T09:00:00Z");

describe("verifySubscription", () => {
  const params = (req: Request) => new URL(req.url).searchParams;

  it("echoes the challenge for our token", () => {
    expect(
      verifySubscription(params(verificationRequest({ verifyToken: "tok", challenge: "42" })), "tok"),
    ).toBe("42");
  });

  it("refuses a wrong or longer token, another mode, or a missing challenge", () => {
    expect(verifySubscription(params(verificationRequest({ verifyToken: "bad" })), "tok")).toBeNull();
    expect(
      verifySubscription(params(verificationRequest({ verifyToken: "tok-and-more" })), "tok"),
    ).toBeNull();
    expect(
      verifySubscription(
        new URLSearchParams("hub.mode=unsubscribe&hub.verify_token=tok&hub.challenge=1"),
        "tok",
      ),
    ).toBeNull();
    expect(
      verifySubscription(new URLSearchParams("hub.mode=subscribe&hub.verify_token=tok"), "tok"),
    ).toBeNull();
  });
});

describe("verifySignature", () => {
  const raw = JSON.stringify(textWebhook({ from: "+2250707123456", body: "aide", at }));

  it("accepts Meta's signature over the raw body, string or bytes", async () => {
    const request = signedWebhookRequest(raw, { appSecret });
    const header = request.headers.get("x-hub-signature-256");
    expect(verifySignature(await request.text(), header, appSecret)).toBe(true);
    expect(verifySignature(new TextEncoder().encode(raw), header, appSecret)).toBe(true);
    expect(verifySignature(raw, header?.toUpperCase().replace("SHA256=", "sha256=") ?? null, appSecret)).toBe(
      true,
    );
  });

  it("refuses a missing, malformed, short, long or wrong signature", () => {
    const good = signWebhookBody(raw, appSecret);
    expect(verifySignature(raw, null, appSecret)).toBe(false);
    expect(verifySignature(raw, "", appSecret)).toBe(false);
    expect(verifySignature(raw, good.replace("sha256=", "sha1="), appSecret)).toBe(false);
    expect(verifySignature(raw, good.slice(0, -2), appSecret)).toBe(false); // shorter
    expect(verifySignature(raw, `${good}00`, appSecret)).toBe(false); // longer
    expect(verifySignature(raw, signWebhookBody(raw, "another secret"), appSecret)).toBe(false);
    expect(verifySignature(`${raw} `, good, appSecret)).toBe(false); // body changed
    expect(verifySignature(raw, good, "")).toBe(false);
  });
});

describe("parseWebhook", () => {
  it("reads a status with our alert id", () => {
    const events = eventsOf(
      statusWebhook({
        wamid: "wamid.A",
        status: "delivered",
        recipient: "+2250707123456",
        alertId: "alert-1",
        at,
      }),
    );
    expect(events).toEqual([
      {
        kind: "status",
        wamid: "wamid.A",
        status: "delivered",
        at,
        recipient: "+2250707123456",
        recipientUserId: null,
        alertId: "alert-1",
        phoneNumberId: FAKE_PHONE_NUMBER_ID,
      },
    ]);
  });

  it("reads a failed status with its error", () => {
    const [event] = eventsOf(
      statusWebhook({
        wamid: "wamid.B",
        status: "failed",
        recipient: "2250707123456",
        errorCode: 131026,
        at,
      }),
    );
    expect(event).toMatchObject({
      kind: "status",
      status: "failed",
      alertId: null,
      error: {
        code: 131026,
        title: "Message Undeliverable",
        message: "Message Undeliverable",
        details: "Unable to deliver message.",
      },
    });
  });

  it("maps a failed status to the same typed error as a failed send", () => {
    const [event] = eventsOf(
      statusWebhook({
        wamid: "wamid.B",
        status: "failed",
        recipient: "+2250707123456",
        errorCode: 131026,
        at,
      }),
    );
    expect(event?.kind === "status" && event.error && errorFromStatus(event.error)).toBeInstanceOf(
      UndeliverableError,
    );
    expect(errorFromStatus({ code: 131047, message: null, details: null })).toBeInstanceOf(WindowClosedError);
  });

  it("reads a reply-button tap", () => {
    const [event] = eventsOf(
      buttonReplyWebhook({
        from: "+2250707123456",
        buttonId: "done:alert-1",
        title: "✅ Traité",
        contextWamid: "wamid.A",
        wamid: "wamid.IN",
        at,
      }),
    );
    expect(event).toEqual({
      kind: "inbound",
      wamid: "wamid.IN",
      from: "+2250707123456",
      fromUserId: null,
      at,
      text: "✅ Traité",
      buttonId: "done:alert-1",
      contextWamid: "wamid.A",
      type: "interactive",
      phoneNumberId: FAKE_PHONE_NUMBER_ID,
    });
  });

  it("reads a text and a template quick reply", () => {
    const [text] = eventsOf(textWebhook({ from: "2250707123456", body: "Résumé", at }));
    expect(text).toMatchObject({
      kind: "inbound",
      from: "+2250707123456",
      text: "Résumé",
      buttonId: null,
      contextWamid: null,
    });
    const [quick] = eventsOf(
      templateButtonWebhook({ from: "+2250707123456", payload: "snooze:alert-1", text: "Rappel 1 h", at }),
    );
    expect(quick).toMatchObject({
      kind: "inbound",
      type: "button",
      text: "Rappel 1 h",
      buttonId: "snooze:alert-1",
    });
  });

  it("turns an unknown message type into an inbound event without text", () => {
    const [event] = eventsOf(imageWebhook({ from: "+2250707123456", at }));
    expect(event).toMatchObject({ kind: "inbound", type: "image", text: null, buttonId: null });
  });

  it("flattens several entries and changes, and skips other fields", () => {
    const a = statusWebhook({ wamid: "wamid.1", status: "sent", recipient: "+2250707123456" });
    const b = textWebhook({ from: "+2250707123456", body: "stop" });
    const payload = {
      object: "whatsapp_business_account",
      entry: [
        {
          ...a.entry[0]!,
          changes: [
            ...a.entry[0]!.changes,
            { field: "message_template_status_update", value: { event: "APPROVED" } },
          ],
        },
        b.entry[0]!,
      ],
    };
    expect(eventsOf(payload).map((e) => e.kind)).toEqual(["status", "inbound"]);
  });

  it("ignores another object and unknown statuses", () => {
    expect(parseWebhook({ object: "page", entry: [] })).toEqual({ events: [], skipped: 0, truncated: 0 });
    const sent = JSON.stringify(
      statusWebhook({ wamid: "wamid.1", status: "sent", recipient: "+2250707123456" }),
    );
    expect(eventsOf(JSON.parse(sent.replace('"status":"sent"', '"status":"deleted"')))).toEqual([]);
  });

  it("returns null for a body that is not a webhook, and skips an item that is not the documented shape", () => {
    expect(parseWebhook({ hello: "world" })).toBeNull();
    expect(parseWebhook(null)).toBeNull();
    const good = statusWebhook({ wamid: "wamid.ok", status: "read", recipient: "+2250707123456" });
    const value = good.entry[0]!.changes[0]!.value as unknown as { statuses: unknown[] };
    value.statuses.unshift({ id: "x" }, { id: "y", status: "read", timestamp: "not a time" });
    expect(parseWebhook(good)).toMatchObject({ skipped: 2, events: [{ wamid: "wamid.ok" }] });
  });
});
