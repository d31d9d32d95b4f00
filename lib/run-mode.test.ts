import { describe, expect, it } from "vitest";
import { localModeOf, parseEnv, realProviders } from "@/lib/env";
import { describeRunMode } from "@/lib/run-mode";

const dev = (vars: Record<string, string> = {}) =>
  parseEnv({ NODE_ENV: "development", ...vars }, { persistSecrets: false });

const whatsapp = {
  WHATSAPP_ACCESS_TOKEN: "token",
  WHATSAPP_PHONE_NUMBER_ID: "123",
  WHATSAPP_DISPLAY_NUMBER: "+2250102030405",
  WHATSAPP_APP_SECRET: "secret",
  WHATSAPP_VERIFY_TOKEN: "verify",
};

describe("run mode", () => {
  it("is local with nothing configured, and says so at start-up", () => {
    const e = dev();
    expect(localModeOf(e)).toBe(true);
    expect(describeRunMode(e)).toContain("LOCAL MODE");
    expect(describeRunMode(e)).toContain("loopback only");
  });

  it("turns local mode off as soon as Gemini or WhatsApp is configured, not only OAuth", () => {
    for (const vars of [{ GEMINI_API_KEY: "key" }, whatsapp]) {
      const e = dev(vars);
      expect(localModeOf(e)).toBe(false);
      expect(describeRunMode(e)).toContain("CONNECTED MODE (development)");
      expect(describeRunMode(e)).toContain("local sign-in is off");
      // Without Google or Microsoft nobody could sign in: the message says what to do.
      expect(describeRunMode(e)).toContain("nobody can sign in");
    }
    expect(realProviders(dev({ GEMINI_API_KEY: "key", ...whatsapp }))).toEqual(["Gemini", "WhatsApp"]);
  });

  it("names the providers and no warning when a sign-in is configured", () => {
    const e = dev({ MICROSOFT_CLIENT_ID: "id", MICROSOFT_CLIENT_SECRET: "secret", GEMINI_API_KEY: "key" });
    expect(localModeOf(e)).toBe(false);
    expect(describeRunMode(e)).toBe(
      "FluxAsync Mail: CONNECTED MODE (development) — Microsoft, Gemini configured; local sign-in is off.",
    );
  });
});
