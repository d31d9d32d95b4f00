import { describe, expect, it } from "vitest";
import { markAsRead, sendInteractiveButtons, sendTemplate, sendText } from "@/lib/channels/whatsapp/api";
import { DEFAULT_GRAPH_API_VERSION } from "@/lib/channels/whatsapp/config";
import { renderAlert } from "@/lib/channels/whatsapp/render-alert";
import { alertTemplateMessage } from "@/lib/channels/whatsapp/templates";
import { parseWebhook } from "@/lib/channels/whatsapp/transform";
import { toEventPayload, whatsAppEventPayloadSchema } from "@/lib/jobs/whatsapp-event-payload";
import { FAKE_PHONE_NUMBER_ID, webhookEnvelope } from "@/lib/testing/meta-fake";
import { setUpMetaFake } from "@/lib/testing/meta-suite";
import { testWhatsApp } from "@/lib/testing/pipeline-fixtures";

/**
 * The WhatsApp Cloud API contract: every request our client sends passes the rules the fake takes
 * from facebook/openapi (lib/testing/meta-fake.ts), and every documented shape of the `messages`
 * webhook — written here as our own fixtures from the field lists of Meta's webhook reference and
 * its business-scoped user id page — parses and becomes a stored event.
 */

const config = testWhatsApp;
const to = "+2250707123456";
const meta = setUpMetaFake();

const alert = renderAlert(
  {
    locale: "fr",
    timeZone: "Africa/Abidjan",
    priority: "critical",
    subject: "Contrat",
    fromName: null,
    fromAddress: "client@banque.ci",
    summary: "Signer aujourd'hui",
    deadline: null,
    amounts: [],
    suggestedAction: { kind: "sign", phrase: "signer" },
    fraudWarning: "RIB modifié",
    autoActions: ["label:FluxAsync/Critique"],
    analyzer: "gemini",
    alertId: "8d6f0b4e-4a55-4c57-9d7c-1f2a3b4c5d6e",
  },
  new Date("2026-11-24T09:00:00Z"),
);

describe("what our client sends", () => {
  it("passes the documented request rules: text, reply buttons, template, read receipt", async () => {
    await sendText(config, { to, body: "Bonjour" });
    await sendInteractiveButtons(config, { to, alertId: "a1", body: alert.body, buttons: alert.buttons });
    const template = alertTemplateMessage({
      locale: "fr",
      alertId: "a1",
      templateParams: alert.templateParams,
    });
    await sendTemplate(config, { to, alertId: "a1", ...template });
    await markAsRead(config, "wamid.IN1");
    expect(meta.sent.map((m) => m.type)).toEqual(["text", "interactive", "template"]);
    expect(meta.readReceipts).toEqual(["wamid.IN1"]);
  });

  type Shape = { type: string; buttons?: number; sameTitles?: boolean; noLanguage?: boolean };
  it.each<[string, Shape]>([
    ["an unknown type", { type: "carousel" }],
    ["four reply buttons", { type: "interactive", buttons: 4 }],
    ["two buttons with one title", { type: "interactive", sameTitles: true }],
    ["a template without a language", { type: "template", noLanguage: true }],
  ])("refuses %s with Graph's error 100", async (_name, shape) => {
    const buttons = Array.from({ length: shape.buttons ?? 2 }, (_, i) => ({
      type: "reply",
      reply: { id: `b${i}`, title: shape.sameTitles ? "Même" : `Bouton ${i}` },
    }));
    const message =
      shape.type === "interactive"
        ? { type: "interactive", interactive: { type: "button", body: { text: "x" }, action: { buttons } } }
        : shape.type === "template"
          ? { type: "template", template: { name: "fluxasync_alert" } }
          : { type: shape.type };
    const res = await fetch(
      `https://graph.facebook.com/${DEFAULT_GRAPH_API_VERSION}/${FAKE_PHONE_NUMBER_ID}/messages`,
      {
        method: "POST",
        headers: { authorization: "Bearer EAAtest", "content-type": "application/json" },
        body: JSON.stringify({ messaging_product: "whatsapp", to: "2250707123456", ...message }),
      },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 100, type: "OAuthException" } });
  });
});

// ——— Documented webhook shapes, as our own fixtures ———

const userId = "CI.13491208655302741918";
const contact = (extra: Record<string, unknown> = {}) => ({
  profile: { name: "Awa Koné" },
  wa_id: "2250707123456",
  ...extra,
});
const message = (extra: Record<string, unknown>) => ({
  from: "2250707123456",
  id: "wamid.HBgLMjI1MDcwNzEyMzQ1NhUCABIYFDNBQjA",
  timestamp: "1796130000",
  ...extra,
});

const shapes: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
  [
    "a text message",
    { contacts: [contact()], messages: [message({ type: "text", text: { body: "aide" } })] },
    { command: { kind: "help" } },
  ],
  [
    "a reply-button tap",
    {
      contacts: [contact()],
      messages: [
        message({
          type: "interactive",
          context: { from: "2250101010101", id: "wamid.OUT" },
          interactive: { type: "button_reply", button_reply: { id: "done:a1", title: "✅ Traité" } },
        }),
      ],
    },
    { command: { kind: "done", alertId: "a1" }, contextWamid: "wamid.OUT" },
  ],
  [
    "a list reply",
    {
      contacts: [contact()],
      messages: [
        message({
          type: "interactive",
          interactive: {
            type: "list_reply",
            list_reply: { id: "snooze:a1", title: "Rappel", description: "1 h" },
          },
        }),
      ],
    },
    { command: { kind: "snooze", alertId: "a1" } },
  ],
  [
    "a template quick reply",
    {
      contacts: [contact()],
      messages: [message({ type: "button", button: { payload: "mute:a1", text: "Ignorer" } })],
    },
    { command: { kind: "mute", alertId: "a1" }, type: "button" },
  ],
  [
    "an image with a caption",
    {
      contacts: [contact()],
      messages: [
        message({
          type: "image",
          image: { id: "1479537139650973", mime_type: "image/jpeg", sha256: "x", caption: "STOP" },
        }),
      ],
    },
    { type: "image", command: { kind: "help" } },
  ],
  [
    "a reaction",
    {
      contacts: [contact()],
      messages: [message({ type: "reaction", reaction: { message_id: "wamid.OUT", emoji: "👍" } })],
    },
    { type: "reaction" },
  ],
  [
    "a system message (no contacts array)",
    {
      messages: [
        message({
          type: "system",
          system: { body: "User changed number", wa_id: "2250707999999", type: "user_changed_number" },
        }),
      ],
    },
    { type: "system" },
  ],
  [
    "an inbound message with the user id and the number (contact book)",
    {
      contacts: [contact({ user_id: userId })],
      messages: [message({ from_user_id: userId, type: "text", text: { body: "STOP" } })],
    },
    { from: "+2250707123456", fromUserId: userId, command: { kind: "stop" } },
  ],
  [
    "an inbound message from a username user (no from, no wa_id)",
    {
      contacts: [{ profile: { name: "Awa", username: "awa.kone" }, user_id: userId }],
      messages: [
        {
          from_user_id: userId,
          id: "wamid.U1",
          timestamp: "1796130000",
          type: "text",
          text: { body: "aide" },
        },
      ],
    },
    { from: null, fromUserId: userId },
  ],
  [
    "a sent status with conversation and pricing",
    {
      statuses: [
        {
          id: "wamid.OUT",
          status: "sent",
          timestamp: "1796130000",
          recipient_id: "2250707123456",
          conversation: {
            id: "a75d17ad06104c51166f948319b03c6a",
            expiration_timestamp: "1796216400",
            origin: { type: "utility" },
          },
          pricing: { billable: true, pricing_model: "PMP", category: "utility", type: "regular" },
        },
      ],
    },
    { kind: "status", status: "sent", recipient: "+2250707123456" },
  ],
  [
    "a read status to a user id (no recipient_id), with its contact",
    {
      contacts: [{ user_id: userId, profile: { username: "awa.kone" } }],
      statuses: [{ id: "wamid.OUT", status: "read", timestamp: "1796130000", recipient_user_id: userId }],
    },
    { kind: "status", status: "read", recipient: null, recipientUserId: userId },
  ],
  [
    "a failed status with its error (no contacts)",
    {
      statuses: [
        {
          id: "wamid.OUT",
          status: "failed",
          timestamp: "1796130000",
          recipient_id: "2250707123456",
          biz_opaque_callback_data: "8d6f0b4e-4a55-4c57-9d7c-1f2a3b4c5d6e",
          errors: [
            {
              code: 131049,
              title: "This message was not delivered to maintain healthy ecosystem engagement.",
              message: "This message was not delivered to maintain healthy ecosystem engagement.",
              error_data: {
                details:
                  "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.",
              },
              href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
            },
          ],
        },
      ],
    },
    { kind: "status", status: "failed", error: { code: 131049 } },
  ],
];

describe("documented webhook shapes", () => {
  it.each(shapes)("%s parses and becomes a stored event", async (_name, value, expected) => {
    const parsed = parseWebhook(webhookEnvelope(value));
    expect(parsed?.skipped).toBe(0);
    expect(parsed?.events).toHaveLength(1);
    const stored = whatsAppEventPayloadSchema.parse(
      JSON.parse(JSON.stringify(await toEventPayload(parsed!.events[0]!))),
    );
    expect(stored).toMatchObject(expected);
    expect(JSON.stringify(stored)).not.toMatch(/Awa|awa\.kone|caption/);
  });

  it("ignores the other fields Meta posts to the same URL and unknown statuses", () => {
    const body = webhookEnvelope({ statuses: [{ id: "w", status: "deleted", timestamp: "1796130000" }] });
    const other = {
      ...body,
      entry: [
        { id: "1", changes: [{ field: "message_template_status_update", value: { event: "APPROVED" } }] },
      ],
    };
    expect(parseWebhook(body)).toEqual({ events: [], skipped: 0, truncated: 0 });
    expect(parseWebhook(other)).toEqual({ events: [], skipped: 0, truncated: 0 });
  });
});
