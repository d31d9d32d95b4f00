import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

describe("scripts/bench.env", () => {
  it("is a complete configuration, so `npm run bench` starts (it is not run by CI)", () => {
    const vars = Object.fromEntries(
      readFileSync("scripts/bench.env", "utf8")
        .split("\n")
        .filter((line) => line.trim() && !line.startsWith("#"))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    const env = parseEnv(vars, { persistSecrets: false });
    expect(env.GEMINI_API_KEY).toBeTruthy();
    expect(env.WHATSAPP_ACCESS_TOKEN).toBeTruthy();
    expect(env.GOOGLE_CLIENT_ID).toBeTruthy();
  });
});
