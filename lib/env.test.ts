import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ENV_DOCS, EnvError, parseEnv } from "@/lib/env";
import { parseKeyRing } from "@/lib/security/key-ring";

const ring = () => `k1:${randomBytes(32).toString("base64")}`;

/** A complete production environment, with made-up values. */
function production(): Record<string, string> {
  return {
    NODE_ENV: "production",
    APP_URL: "https://mail.example.ci",
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    TOKEN_ENCRYPTION_KEYS: ring(),
    CRON_SECRET: randomBytes(24).toString("base64url"),
    SUPABASE_URL: "https://abcdefgh.supabase.co",
    SUPABASE_SECRET_KEY: "sb_secret_fake",
    GOOGLE_CLIENT_ID: "123.apps.googleusercontent.com",
    GOOGLE_CLIENT_SECRET: "GOCSPX-fake",
    GMAIL_PUBSUB_TOPIC: "projects/fluxasync/topics/gmail",
    GMAIL_PUSH_AUDIENCE: "https://mail.example.ci/api/webhooks/gmail",
    GMAIL_PUSH_SERVICE_ACCOUNT: "push@fluxasync.iam.gserviceaccount.com",
    WHATSAPP_ACCESS_TOKEN: "EAAG-fake",
    WHATSAPP_PHONE_NUMBER_ID: "1234567890",
    WHATSAPP_DISPLAY_NUMBER: "+2250102030405",
    WHATSAPP_APP_SECRET: "fake-app-secret",
    WHATSAPP_VERIFY_TOKEN: "fake-verify-token",
  };
}

function envError(raw: Record<string, string | undefined>): string {
  try {
    parseEnv(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as Error).message;
  }
  throw new Error("parseEnv accepted the environment");
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fluxasync-env-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("parseEnv in production", () => {
  it("accepts a complete configuration as given", () => {
    const raw = production();
    const env = parseEnv(raw);
    expect(env).toMatchObject({ ...raw, MICROSOFT_TENANT: "common", LOG_LEVEL: "info" });
  });

  it("names every missing required variable with its purpose when nothing is set", () => {
    const message = envError({ NODE_ENV: "production" });
    const required = [
      "APP_URL",
      "SESSION_SECRET",
      "TOKEN_ENCRYPTION_KEYS",
      "CRON_SECRET",
      "DATABASE_URL",
      "SUPABASE_URL",
      "SUPABASE_SECRET_KEY",
      "GOOGLE_CLIENT_ID",
      "MICROSOFT_CLIENT_ID",
      "WHATSAPP_ACCESS_TOKEN",
      "WHATSAPP_PHONE_NUMBER_ID",
      "WHATSAPP_DISPLAY_NUMBER",
      "WHATSAPP_APP_SECRET",
      "WHATSAPP_VERIFY_TOKEN",
    ] as const;
    for (const name of required) expect(message).toContain(`- ${name}: ${ENV_DOCS[name]}`);
    // Optional ones are not reported as missing.
    expect(message).not.toContain("SENTRY_DSN");
    expect(message).not.toContain("GEMINI_API_KEY");
  });

  it("accepts DATABASE_URL instead of Supabase, and the legacy service_role key", () => {
    const { SUPABASE_URL: _u, SUPABASE_SECRET_KEY: _k, ...rest } = production();
    expect(parseEnv({ ...rest, DATABASE_URL: "postgres://u:p@db.example:6543/postgres" }).DATABASE_URL).toBe(
      "postgres://u:p@db.example:6543/postgres",
    );
    expect(
      parseEnv({ ...rest, SUPABASE_URL: "https://x.supabase.co", SUPABASE_SERVICE_ROLE_KEY: "eyJ-fake" })
        .SUPABASE_SERVICE_ROLE_KEY,
    ).toBe("eyJ-fake");
    const message = envError({ ...rest, SUPABASE_URL: "https://x.supabase.co" });
    expect(message).toContain("- DATABASE_URL:");
  });

  it("treats blank values as unset", () => {
    const message = envError({ ...production(), APP_URL: "", CRON_SECRET: "  " });
    expect(message).toContain(`- APP_URL: ${ENV_DOCS.APP_URL}`);
    expect(message).toContain(`- CRON_SECRET: ${ENV_DOCS.CRON_SECRET}`);
    expect(message).not.toContain("Invalid URL");
  });

  it("stops on a partial Google set-up, naming the missing variables", () => {
    const { GMAIL_PUBSUB_TOPIC: _t, GMAIL_PUSH_AUDIENCE: _a, ...rest } = production();
    const message = envError(rest);
    expect(message).toContain(
      `- GMAIL_PUBSUB_TOPIC: ${ENV_DOCS.GMAIL_PUBSUB_TOPIC} (the Google set-up is partial)`,
    );
    expect(message).toContain(`- GMAIL_PUSH_AUDIENCE: ${ENV_DOCS.GMAIL_PUSH_AUDIENCE}`);
    expect(message).not.toContain("GOOGLE_CLIENT_SECRET");
  });

  it("stops on a partial Google set-up in development too", () => {
    const message = envError({ NODE_ENV: "development", GOOGLE_CLIENT_ID: "x", DATA_DIR: tempDir() });
    expect(message).toContain("- GOOGLE_CLIENT_SECRET:");
    expect(message).toContain("- GMAIL_PUSH_SERVICE_ACCOUNT:");
  });

  it.each([
    ["a key ring that is not kid:key", { TOKEN_ENCRYPTION_KEYS: "just-a-password" }, "TOKEN_ENCRYPTION_KEYS"],
    [
      "a 16-byte key",
      { TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(16).toString("base64")}AAAAAAAAAAAAAAAAA` },
      "exactly 32 bytes",
    ],
    [
      "a 48-byte key",
      { TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(48).toString("base64")}` },
      "exactly 32 bytes",
    ],
    [
      "a duplicate kid",
      { TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")},${ring()}` },
      "duplicate kid",
    ],
    ["a short CRON_SECRET", { CRON_SECRET: "short-secret" }, "CRON_SECRET needs 16+ characters"],
    ["a short SESSION_SECRET", { SESSION_SECRET: "x".repeat(31) }, "SESSION_SECRET needs 32+"],
    ["a malformed Pub/Sub topic", { GMAIL_PUBSUB_TOPIC: "gmail-topic" }, "projects/<id>/topics/<name>"],
    ["an APP_URL that is not a URL", { APP_URL: "mail.example.ci" }, "APP_URL"],
    ["a national display number", { WHATSAPP_DISPLAY_NUMBER: "0102030405" }, "WHATSAPP_DISPLAY_NUMBER"],
    [
      "a display number that cannot exist",
      { WHATSAPP_DISPLAY_NUMBER: "+2259902030405" },
      "WHATSAPP_DISPLAY_NUMBER",
    ],
  ])("rejects %s", (_name, override, expected) => {
    const message = envError({ ...production(), ...override });
    expect(message).toContain(expected);
  });

  it("sizes the database pool with the drain, and refuses a pool the drain alone would fill", () => {
    const sized = parseEnv({ ...production(), DRAIN_CONCURRENCY: "32", DATABASE_POOL_MAX: "40" });
    expect([sized.DRAIN_CONCURRENCY, sized.DATABASE_POOL_MAX]).toEqual([32, 40]);
    expect(envError({ ...production(), DRAIN_CONCURRENCY: "32", DATABASE_POOL_MAX: "32" })).toContain(
      "- DATABASE_POOL_MAX:",
    );
    expect(envError({ ...production(), DATABASE_POOL_MAX: "8" })).toContain("not more than the drain's 16");
    expect(envError({ ...production(), DRAIN_CONCURRENCY: "0" })).toContain("DRAIN_CONCURRENCY");
  });

  it("keeps the display number as E.164 when written with spaces, as Meta's console shows it", () => {
    expect(
      parseEnv({ ...production(), WHATSAPP_DISPLAY_NUMBER: " +225 01 02 03 04 05 " }).WHATSAPP_DISPLAY_NUMBER,
    ).toBe("+2250102030405");
  });
});

describe("parseEnv in development and test", () => {
  it("generates the secrets once into DATA_DIR and reads the same ones back", () => {
    const dir = tempDir();
    const first = parseEnv({ NODE_ENV: "development", DATA_DIR: dir });
    expect(readdirSync(dir)).toEqual(["secrets.json"]);
    const second = parseEnv({ NODE_ENV: "development", DATA_DIR: dir });
    for (const k of [
      "SESSION_SECRET",
      "TOKEN_ENCRYPTION_KEYS",
      "CRON_SECRET",
      "WHATSAPP_APP_SECRET",
      "WHATSAPP_VERIFY_TOKEN",
    ] as const) {
      expect(first[k]).toBeTruthy();
      expect(second[k]).toBe(first[k]);
    }
    // The generated values pass the same rules as configured ones.
    expect(parseKeyRing(first.TOKEN_ENCRYPTION_KEYS).current.key).toHaveLength(32);
    expect(first.CRON_SECRET.length).toBeGreaterThanOrEqual(16);
    expect(first.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(first.APP_URL).toBe("http://localhost:3000");
    expect(JSON.parse(readFileSync(path.join(dir, "secrets.json"), "utf8")).CRON_SECRET).toBe(
      first.CRON_SECRET,
    );
  });

  it("points APP_URL at the dev server's port when APP_URL is not set", () => {
    const dir = tempDir();
    expect(parseEnv({ NODE_ENV: "development", DATA_DIR: dir, PORT: "3217" }).APP_URL).toBe(
      "http://localhost:3217",
    );
    const configured = "https://tunnel.example.ci";
    expect(
      parseEnv({ NODE_ENV: "development", DATA_DIR: dir, PORT: "3217", APP_URL: configured }).APP_URL,
    ).toBe(configured);
  });

  it("keeps a configured secret over the generated one", () => {
    const dir = tempDir();
    const cron = "configured-cron-secret-123";
    expect(parseEnv({ NODE_ENV: "development", DATA_DIR: dir, CRON_SECRET: cron }).CRON_SECRET).toBe(cron);
  });

  it("adds a secret missing from an older secrets file without changing the others", () => {
    const dir = tempDir();
    const first = parseEnv({ NODE_ENV: "development", DATA_DIR: dir });
    const file = path.join(dir, "secrets.json");
    const stored = JSON.parse(readFileSync(file, "utf8"));
    delete stored.WHATSAPP_VERIFY_TOKEN;
    writeFileSync(file, JSON.stringify(stored));
    const second = parseEnv({ NODE_ENV: "development", DATA_DIR: dir });
    expect(second.TOKEN_ENCRYPTION_KEYS).toBe(first.TOKEN_ENCRYPTION_KEYS);
    expect(second.WHATSAPP_VERIFY_TOKEN).toBeTruthy();
  });

  it("writes no files in test mode", () => {
    const dir = path.join(tempDir(), "data");
    const env = parseEnv({ NODE_ENV: "test", DATA_DIR: dir });
    expect(env.CRON_SECRET.length).toBeGreaterThanOrEqual(16);
    expect(existsSync(dir)).toBe(false);
  });

  it("needs no variable at all outside production", () => {
    const dir = tempDir();
    const env = parseEnv({ NODE_ENV: "development", DATA_DIR: dir });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SUPABASE_URL).toBeUndefined();
    expect(env.MICROSOFT_TENANT).toBe("common");
  });
});

describe(".env.example", () => {
  it("lists every variable lib/env.ts documents, and no other", () => {
    const example = readFileSync(path.join(process.cwd(), ".env.example"), "utf8");
    const listed = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect([...listed].sort()).toEqual(Object.keys(ENV_DOCS).sort());
    // No value is filled in: the file is a template, never a place for secrets.
    expect(example).not.toMatch(/^[A-Z][A-Z0-9_]*=\S/m);
  });
});
