import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_GRAPH_API_VERSION } from "@/lib/channels/whatsapp/config";
import { AuthError } from "@/lib/channels/whatsapp/errors";
import { createTemplates } from "@/lib/channels/whatsapp/template-api";
import {
  alertTemplateMessage,
  TEMPLATE_NAMES,
  templateDefinitions,
  verificationTemplateMessage,
} from "@/lib/channels/whatsapp/templates";
import { createMetaFake, FAKE_WABA_ID } from "@/lib/testing/meta-fake";
import { server } from "@/lib/testing/msw";

const bodyOf = (d: ReturnType<typeof templateDefinitions>[number]) =>
  d.components.find((c) => c.type === "BODY") as { text?: string; example?: { body_text: string[][] } };

describe("template definitions", () => {
  const all = templateDefinitions();

  it("define each template in French and English", () => {
    expect(all.map((d) => `${d.name}/${d.language}`).sort()).toEqual(
      ["fluxasync_alert", "fluxasync_digest", "fluxasync_notice", "fluxasync_verification"]
        .flatMap((n) => [`${n}/en`, `${n}/fr`])
        .sort(),
    );
  });

  it("the alert template is a utility template with three quick replies", () => {
    const fr = all.find((d) => d.name === TEMPLATE_NAMES.alert && d.language === "fr")!;
    expect(fr).toMatchSnapshot();
    const buttons = fr.components.find((c) => c.type === "BUTTONS") as {
      buttons: Array<{ type: string; text: string }>;
    };
    expect(buttons.buttons.map((b) => b.text)).toEqual(["Traité", "Rappel 1 h", "Ignorer l’expéditeur"]);
  });

  it("utility bodies follow Meta's rules: numbered variables, an example per variable, fixed text around them", () => {
    for (const d of all.filter((x) => x.category === "UTILITY")) {
      const body = bodyOf(d);
      const text = body.text!;
      const vars = [...text.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1]));
      expect(vars, d.name).toEqual(vars.map((_, i) => i + 1));
      expect(body.example?.body_text[0], d.name).toHaveLength(vars.length);
      expect(text.length).toBeLessThanOrEqual(1024);
      expect(text.trim().startsWith("{{"), d.name).toBe(false);
      expect(text.trim().endsWith("}}"), d.name).toBe(false);
      for (const value of body.example!.body_text[0]!) expect(value).not.toMatch(/[\n\t]| {5}/);
      const buttons = d.components.find((c) => c.type === "BUTTONS") as
        | { buttons: Array<{ text: string }> }
        | undefined;
      for (const b of buttons?.buttons ?? []) expect(b.text.length).toBeLessThanOrEqual(25);
    }
  });

  it("the verification code uses an authentication template with a copy-code button", () => {
    const en = all.find((d) => d.name === TEMPLATE_NAMES.verification && d.language === "en")!;
    expect(en).toEqual({
      name: "fluxasync_verification",
      language: "en",
      category: "AUTHENTICATION",
      message_send_ttl_seconds: 600,
      components: [
        { type: "BODY", add_security_recommendation: true },
        { type: "FOOTER", code_expiration_minutes: 10 },
        { type: "BUTTONS", buttons: [{ type: "OTP", otp_type: "COPY_CODE", text: "Copy code" }] },
      ],
    });
  });

  it("builds the messages that fill them", () => {
    expect(verificationTemplateMessage({ locale: "fr", code: "123456" })).toEqual({
      name: "fluxasync_verification",
      language: "fr",
      components: [
        { type: "body", parameters: [{ type: "text", text: "123456" }] },
        { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "123456" }] },
      ],
    });
    const alert = alertTemplateMessage({ locale: "en", alertId: "a1", templateParams: ["1", "2", "3", "4"] });
    expect(alert.language).toBe("en");
    expect(alert.components).toHaveLength(4);
  });
});

describe("createTemplates", () => {
  const meta = createMetaFake();
  beforeEach(() => {
    meta.templates.length = 0;
    server.use(...meta.handlers);
  });
  const config = {
    accessToken: "EAAtest",
    businessAccountId: FAKE_WABA_ID,
    apiVersion: DEFAULT_GRAPH_API_VERSION,
  };

  it("submits every definition to the WABA, and reports existing ones on a second run", async () => {
    const first = await createTemplates(config);
    expect(first.every((r) => r.outcome === "created")).toBe(true);
    expect(meta.templates.map((t) => t.wabaId)).toEqual(Array(8).fill(FAKE_WABA_ID));
    expect(meta.templates.map((t) => t.body)).toEqual(templateDefinitions());
    const second = await createTemplates(config);
    expect(second.map((r) => r.outcome)).toEqual(Array(8).fill("exists"));
  });

  it("reports a refused token per template", async () => {
    const results = await createTemplates({ ...config, accessToken: "" });
    expect(results[0]?.outcome).toBe("failed");
    expect(results[0]?.outcome === "failed" && results[0].error).toBeInstanceOf(AuthError);
  });

  it("needs the business account id", async () => {
    await expect(createTemplates({ ...config, businessAccountId: null })).rejects.toThrow(
      /WHATSAPP_BUSINESS_ACCOUNT_ID/,
    );
  });
});
