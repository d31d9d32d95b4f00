import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { markAsRead, sendInteractiveButtons, sendTemplate, sendText } from "@/lib/channels/whatsapp/api";
import { DEFAULT_GRAPH_API_VERSION } from "@/lib/channels/whatsapp/config";
import {
  AuthError,
  InvalidRequestError,
  OutcomeUnknownError,
  RateLimitError,
  TemplateConfigError,
  TransientError,
  UndeliverableError,
  type WhatsAppError,
  WindowClosedError,
} from "@/lib/channels/whatsapp/errors";
import { renderAlert } from "@/lib/channels/whatsapp/render-alert";
import { alertTemplateMessage } from "@/lib/channels/whatsapp/templates";
import { FAKE_PHONE_NUMBER_ID, type MetaFailure } from "@/lib/testing/meta-fake";
import { setUpMetaFake } from "@/lib/testing/meta-suite";
import { server } from "@/lib/testing/msw";
import { testWhatsApp } from "@/lib/testing/pipeline-fixtures";

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
    fraudWarning: null,
    autoActions: [],
    analyzer: "gemini",
    alertId: "alert-1",
  },
  new Date("2026-11-24T09:00:00Z"),
);

describe("sending", () => {
  it("sends reply buttons with the alert id and returns the wamid", async () => {
    const result = await sendInteractiveButtons(config, {
      to,
      alertId: "alert-1",
      body: alert.body,
      buttons: alert.buttons,
    });
    expect(result.wamid).toMatch(/^wamid\./);
    expect(result.waId).toBe("2250707123456");
    const [request] = meta.requests;
    expect(request?.url).toBe(
      `https://graph.facebook.com/${DEFAULT_GRAPH_API_VERSION}/${FAKE_PHONE_NUMBER_ID}/messages`,
    );
    expect(request?.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "2250707123456",
      biz_opaque_callback_data: "alert-1",
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: alert.body },
        action: {
          buttons: alert.buttons.map((b) => ({ type: "reply", reply: { id: b.id, title: b.title } })),
        },
      },
    });
    expect(meta.sent[0]?.wamid).toBe(result.wamid);
  });

  it("sends text with link previews off", async () => {
    await sendText(config, { to, body: "Bonjour" });
    expect(meta.requests[0]?.body).toMatchObject({
      type: "text",
      text: { body: "Bonjour", preview_url: false },
    });
    expect(meta.requests[0]?.body).not.toHaveProperty("biz_opaque_callback_data");
  });

  it("sends a template with quick-reply payloads", async () => {
    const message = alertTemplateMessage({
      locale: "fr",
      alertId: "alert-1",
      templateParams: alert.templateParams,
    });
    await sendTemplate(config, { to, alertId: "alert-1", ...message });
    expect(meta.requests[0]?.body).toMatchObject({
      type: "template",
      biz_opaque_callback_data: "alert-1",
      template: {
        name: "fluxasync_alert",
        language: { code: "fr" },
        components: [
          { type: "body", parameters: alert.templateParams.map((text) => ({ type: "text", text })) },
          {
            type: "button",
            sub_type: "quick_reply",
            index: "0",
            parameters: [{ type: "payload", payload: "done:alert-1" }],
          },
          {
            type: "button",
            sub_type: "quick_reply",
            index: "1",
            parameters: [{ type: "payload", payload: "snooze:alert-1" }],
          },
          {
            type: "button",
            sub_type: "quick_reply",
            index: "2",
            parameters: [{ type: "payload", payload: "mute:alert-1" }],
          },
        ],
      },
    });
  });

  it("marks an inbound message as read", async () => {
    await markAsRead(config, "wamid.IN");
    expect(meta.readReceipts).toEqual(["wamid.IN"]);
  });

  it("uses the configured API version", async () => {
    await sendText({ ...config, apiVersion: "v25.0" }, { to, body: "x" });
    expect(meta.requests[0]?.url).toContain("/v25.0/");
  });

  it("refuses messages over the limits before calling Meta", async () => {
    const tooMany = [...alert.buttons, { id: "x", title: "x" }];
    await expect(sendInteractiveButtons(config, { to, body: "x", buttons: tooMany })).rejects.toThrow(
      InvalidRequestError,
    );
    await expect(
      sendInteractiveButtons(config, {
        to,
        body: "x",
        buttons: [{ id: "x", title: "🔕 Ignorer l'expéditeur" }],
      }),
    ).rejects.toThrow(InvalidRequestError);
    await expect(
      sendInteractiveButtons(config, { to, body: "x".repeat(1025), buttons: alert.buttons }),
    ).rejects.toThrow(InvalidRequestError);
    await expect(sendText(config, { to, body: "x".repeat(4097) })).rejects.toThrow(InvalidRequestError);
    await expect(sendText(config, { to: "0707123456", body: "x" })).rejects.toThrow(InvalidRequestError);
    const multiline = alertTemplateMessage({
      locale: "fr",
      alertId: "a",
      templateParams: ["a", "b\nc", "d", "e"],
    });
    await expect(sendTemplate(config, { to, ...multiline })).rejects.toThrow(InvalidRequestError);
    expect(meta.requests).toHaveLength(0);
  });
});

describe("error mapping", () => {
  const cases: Array<[MetaFailure, new (...args: never[]) => WhatsAppError]> = [
    [131047, WindowClosedError],
    [130429, RateLimitError],
    [131056, RateLimitError],
    [80007, RateLimitError],
    [131026, UndeliverableError],
    [132000, TemplateConfigError],
    [132001, TemplateConfigError],
    [132012, TemplateConfigError],
    [190, AuthError],
    [500, TransientError],
  ];
  for (const [failure, type] of cases) {
    it(`${failure} → ${type.name}`, async () => {
      meta.failNext(failure);
      const error = await sendTemplate(config, {
        to,
        name: "fluxasync_alert",
        language: "fr",
        components: [],
      }).catch((e) => e);
      expect(error).toBeInstanceOf(type);
      expect(meta.sent).toHaveLength(0);
      if (typeof failure === "number" && failure !== 500) expect(error.code).toBe(failure);
      expect(error.fbtraceId).toBe("AbCdEfGhIjKlMnOpQrStUv");
    });
  }

  it("131047: the caller resends the same alert as the template, which goes through", async () => {
    meta.failNext(131047);
    const error = await sendInteractiveButtons(config, {
      to,
      alertId: "alert-1",
      body: alert.body,
      buttons: alert.buttons,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(WindowClosedError);
    const message = alertTemplateMessage({
      locale: "fr",
      alertId: "alert-1",
      templateParams: alert.templateParams,
    });
    const result = await sendTemplate(config, { to, alertId: "alert-1", ...message });
    expect(meta.sent.map((m) => [m.type, m.alertId, m.wamid])).toEqual([
      ["template", "alert-1", result.wamid],
    ]);
  });

  it("suggests a wait for each rate limit, and honours Retry-After", async () => {
    meta.failNext(131056, 80007);
    const pair = await sendText(config, { to, body: "x" }).catch((e) => e);
    const waba = await sendText(config, { to, body: "x" }).catch((e) => e);
    expect(pair.retryAfterMs).toBe(6_000);
    expect(waba.retryAfterMs).toBe(60_000);
    expect(pair.retryable).toBe(true);
    server.use(
      http.post("https://graph.facebook.com/:v/:id/messages", () =>
        HttpResponse.json(
          { error: { message: "(#130429) Rate limit hit", type: "OAuthException", code: 130429 } },
          {
            status: 400,
            headers: { "retry-after": "7" },
          },
        ),
      ),
    );
    const throughput = await sendText(config, { to, body: "x" }).catch((e) => e);
    expect(throughput.retryAfterMs).toBe(7_000);
  });

  it("names the template and the fix in a template error", async () => {
    meta.failNext(132001);
    const error = await sendTemplate(config, {
      to,
      name: "fluxasync_alert",
      language: "fr",
      components: [],
    }).catch((e) => e);
    expect(error.template).toBe("fluxasync_alert");
    expect(error.message).toMatch(/"fluxasync_alert".*npm run whatsapp:templates/s);
    expect(error.retryable).toBe(false);
  });

  it("a timeout is an unknown outcome: the message may have gone out", async () => {
    meta.failNext("hang_after_send");
    const error = await sendText(config, { to, alertId: "alert-1", body: "x" }, { timeoutMs: 50 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error.retryable).toBe(false);
    expect(meta.sent.map((m) => m.alertId)).toEqual(["alert-1"]);
  });

  it("a hang without delivery is still reported as unknown (we cannot tell)", async () => {
    meta.failNext("hang");
    await expect(sendText(config, { to, body: "x" }, { timeoutMs: 50 })).rejects.toThrow(OutcomeUnknownError);
    expect(meta.sent).toHaveLength(0);
  });

  it("a failed connection without sign of delivery is transient", async () => {
    server.use(http.post("https://graph.facebook.com/:v/:id/messages", () => HttpResponse.error()));
    const error = await sendText(config, { to, body: "x" }).catch((e) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.retryable).toBe(true);
  });

  it("a 2xx without a message id is unexpected, not a success", async () => {
    server.use(
      http.post("https://graph.facebook.com/:v/:id/messages", () =>
        HttpResponse.json({ messaging_product: "whatsapp" }),
      ),
    );
    await expect(sendText(config, { to, body: "x" })).rejects.toThrow(/no message id/);
  });

  it("an HTTP 401 without a Graph body is an auth error", async () => {
    server.use(
      http.post(
        "https://graph.facebook.com/:v/:id/messages",
        () => new HttpResponse("nope", { status: 401 }),
      ),
    );
    await expect(sendText(config, { to, body: "x" })).rejects.toThrow(AuthError);
  });
});
