import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    environment: "node",
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["node_modules/**", ".next/**", ".data/**"],
    globalSetup: ["./lib/testing/global-setup.ts"],
    setupFiles: ["./lib/testing/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
    // Provider configuration for tests: every vendor is an msw fake (lib/testing/*-fake.ts) using
    // these same values. WhatsApp is left unset, so the outbox transport is the default in tests.
    env: {
      NODE_ENV: "test",
      APP_URL: "https://app.fluxasync.test",
      GOOGLE_CLIENT_ID: "fake-client-id.apps.googleusercontent.com",
      GOOGLE_CLIENT_SECRET: "fake-client-secret",
      GMAIL_PUBSUB_TOPIC: "projects/fluxasync-test/topics/gmail-push",
      GMAIL_PUSH_AUDIENCE: "https://app.fluxasync.test/api/webhooks/gmail",
      GMAIL_PUSH_SERVICE_ACCOUNT: "gmail-push@fluxasync-test.iam.gserviceaccount.com",
      MICROSOFT_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
      MICROSOFT_CLIENT_SECRET: "fake-client-secret",
      HUBSPOT_CLIENT_ID: "fake-hubspot-client-id",
      HUBSPOT_CLIENT_SECRET: "fake-hubspot-client-secret",
      ZOHO_CLIENT_ID: "1000.FAKEZOHOCLIENTID",
      ZOHO_CLIENT_SECRET: "fake-zoho-client-secret",
      // The sandbox mailbox's files (lib/config/mail-providers.ts): never the developer's .data.
      DATA_DIR: path.join(tmpdir(), `fluxasync-vitest-${process.pid}`),
    },
  },
});
